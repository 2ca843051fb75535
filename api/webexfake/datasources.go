package webexfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

const maxLifetimeMinutes = 1440

type dataSource struct {
	seq                              uint64
	id, orgID, appID                 string // plain UUIDs; appID is the Service App client id
	schemaID, url, audience, subject string
	nonce                            string
	lifetime                         int // tokenLifetimeMinutes
	status, errorMessage             string
	createdBy, updatedBy             string
	createdAt, updatedAt             time.Time
	token                            *jwsToken
}

// dataSourceView is the union of every field seen on get/create/update responses (spec §6.2).
type dataSourceView struct {
	ID                   string `json:"id"`
	SchemaID             string `json:"schemaId"`
	URL                  string `json:"url"`
	Audience             string `json:"audience"`
	Subject              string `json:"subject"`
	Nonce                string `json:"nonce"`
	TokenLifetimeMinutes int    `json:"tokenLifetimeMinutes"`
	Status               string `json:"status"`
	ErrorMessage         string `json:"errorMessage"`
	OrgID                string `json:"orgId"`
	ApplicationID        string `json:"applicationId"`
	JWSToken             string `json:"jwsToken"`
	CreatedBy            string `json:"createdBy"`
	CreatedAt            string `json:"createdAt"`
	UpdatedBy            string `json:"updatedBy"`
	UpdatedAt            string `json:"updatedAt"`
	TokenExpiryTime      string `json:"tokenExpiryTime"`
}

// dataSourceItem is a list entry. It deliberately lacks audience, subject, nonce and
// tokenLifetimeMinutes, like the official list example: clients must read them from the JWS.
type dataSourceItem struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	SchemaID      string `json:"schemaId"`
	OrgID         string `json:"orgId"`
	ApplicationID string `json:"applicationId"`
	JWSToken      string `json:"jwsToken"`
	CreatedBy     string `json:"createdBy"`
	CreatedAt     string `json:"createdAt"`
	URL           string `json:"url"`
	ErrorMessage  string `json:"errorMessage"`
	UpdatedAt     string `json:"updatedAt"`
}

func (d *dataSource) expiry() time.Time { return time.Unix(d.token.claims.Exp, 0) }

// view and item sign the token if needed, so call them without holding s.mu.
func (d *dataSource) view() dataSourceView {
	return dataSourceView{
		ID: d.id, SchemaID: d.schemaID, URL: d.url, Audience: d.audience, Subject: d.subject,
		Nonce: d.nonce, TokenLifetimeMinutes: d.lifetime, Status: d.status, ErrorMessage: d.errorMessage,
		OrgID: d.orgID, ApplicationID: d.appID, JWSToken: d.token.String(),
		CreatedBy: d.createdBy, CreatedAt: isoTime(d.createdAt),
		UpdatedBy: d.updatedBy, UpdatedAt: isoTime(d.updatedAt), TokenExpiryTime: isoTime(d.expiry()),
	}
}

func (d *dataSource) item() dataSourceItem {
	return dataSourceItem{
		ID: d.id, Status: d.status, SchemaID: d.schemaID, OrgID: d.orgID, ApplicationID: d.appID,
		JWSToken: d.token.String(), CreatedBy: d.createdBy, CreatedAt: isoTime(d.createdAt),
		URL: d.url, ErrorMessage: d.errorMessage, UpdatedAt: isoTime(d.updatedAt),
	}
}

// mint gives d a fresh token issued at iat, as Webex does on create and on every update.
func (d *dataSource) mint(key *keyPair, iat time.Time, jti string) {
	d.token = newJWSToken(jwsClaims{
		Iss: jwsIssuer, Aud: d.audience, Sub: d.subject,
		Iat: iat.Unix(), Exp: iat.Add(time.Duration(d.lifetime) * time.Minute).Unix(), Jti: jti,
		URL: d.url, Schema: d.schemaID, Org: d.orgID,
	}, key)
}

// DataSource returns the stored data source as its JSON object (all fields), for assertions.
func (s *Server) DataSource(id string) (map[string]any, bool) {
	s.mu.Lock()
	d, ok := s.dsByID[strings.ToLower(id)]
	var snap dataSource
	if ok {
		snap = *d
	}
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	b, err := json.Marshal(snap.view())
	if err != nil {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	return m, true
}

// dsCaller authenticates a data-source call: a token with the datasource scope, data scoped
// to the token's org.
func (s *Server) dsCaller(r *http.Request, write bool) (grant, *apiError) {
	g, e := s.authenticate(r)
	if e != nil {
		return g, e
	}
	if write {
		return g, requireScope(g, ScopeDataSourceWrite)
	}
	return g, requireScope(g, ScopeDataSourceRead)
}

func (s *Server) listDataSources(w http.ResponseWriter, r *http.Request, _ []byte) {
	g, e := s.dsCaller(r, false)
	if e != nil {
		writeError(w, e)
		return
	}
	p, e := s.parseUnpagedList(r, "ds")
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	page, more := pageOf(s.dsOrder, func(d *dataSource) uint64 { return d.seq },
		func(d *dataSource) bool { return d.orgID == g.orgID }, p)
	snaps := make([]dataSource, len(page))
	for i, d := range page {
		snaps[i] = *d
	}
	s.mu.Unlock()
	tokens := make([]*jwsToken, len(snaps))
	for i := range snaps {
		tokens[i] = snaps[i].token
	}
	signAll(tokens)
	var last uint64
	if len(snaps) > 0 {
		last = snaps[len(snaps)-1].seq
	}
	setLink(w, r, "ds", p, last, more)
	writeItems(w, len(snaps), func(i int) any { return snaps[i].item() })
}

// findDataSource returns the caller org's data source; s.mu must be held.
func (s *Server) findDataSource(g grant, id string) *dataSource {
	d := s.dsByID[strings.ToLower(id)]
	if d == nil || d.orgID != g.orgID {
		return nil
	}
	return d
}

func (s *Server) getDataSource(w http.ResponseWriter, r *http.Request, id string) {
	g, e := s.dsCaller(r, false)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	d := s.findDataSource(g, id)
	var snap dataSource
	if d != nil {
		snap = *d
	}
	s.mu.Unlock()
	if d == nil {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, snap.view())
}

// dsFields are the writable fields of a data source as read from a request body.
type dsFields struct {
	obj      jsonObject
	problems []string
}

func (f *dsFields) str(name string, required bool) (string, bool) {
	v, present, problem := f.obj.str(name)
	switch {
	case problem != "":
		f.problems = append(f.problems, problem)
	case !present && required:
		f.problems = append(f.problems, name+" is required.")
	case present && strings.TrimSpace(v) == "" && name != "errorMessage":
		f.problems = append(f.problems, name+" must not be empty.")
	}
	return v, present && problem == ""
}

// schemaID also takes a one-element array, as one public sample sends it.
func (f *dsFields) schemaID(required bool) (string, bool) {
	var arr []string
	if raw, ok := f.obj["schemaId"]; ok && json.Unmarshal(raw, &arr) == nil && len(arr) == 1 {
		return arr[0], true
	}
	return f.str("schemaId", required)
}

func (f *dsFields) lifetime(required bool) (int, bool) {
	v, present, problem := f.obj.integer("tokenLifetimeMinutes")
	switch {
	case problem != "":
		f.problems = append(f.problems, problem)
	case !present && required:
		f.problems = append(f.problems, "tokenLifetimeMinutes is required.")
	case present && (v < 1 || v > maxLifetimeMinutes):
		f.problems = append(f.problems,
			fmt.Sprintf("tokenLifetimeMinutes must be between 1 and %d; got %d.", maxLifetimeMinutes, v))
	}
	return v, present && problem == ""
}

// checkURL refuses only what is not a URL at all: the docs say "URL" and name no scheme, so
// http:// is accepted (spec §14, open question 5).
func (f *dsFields) checkURL(v string) {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" {
		f.problems = append(f.problems, "url must be an absolute URL, e.g. https://va.example.com/grpc.")
	}
}

func (s *Server) createDataSource(w http.ResponseWriter, r *http.Request, body []byte) {
	g, e := s.dsCaller(r, true)
	if e != nil {
		writeError(w, e)
		return
	}
	obj, e := readJSONObject(r, body)
	if e != nil {
		writeError(w, e)
		return
	}
	f := &dsFields{obj: obj}
	d := &dataSource{}
	d.schemaID, _ = f.schemaID(true)
	var hasURL bool
	d.url, hasURL = f.str("url", true)
	d.audience, _ = f.str("audience", true)
	d.subject, _ = f.str("subject", true)
	d.nonce, _ = f.str("nonce", true)
	d.lifetime, _ = f.lifetime(true)
	if hasURL && d.url != "" {
		f.checkURL(d.url)
	}
	s.mu.Lock()
	if d.schemaID != "" && !s.schemaExists(d.schemaID) {
		f.problems = append(f.problems, "schemaId "+d.schemaID+" is not a known schema.")
	}
	if f.problems != nil {
		s.mu.Unlock()
		writeError(w, validationError(f.problems))
		return
	}
	now := s.now()
	d.seq = s.nextSeq()
	d.id = s.rt.uuid()
	d.schemaID = strings.ToLower(d.schemaID)
	d.orgID, d.appID = g.orgID, g.clientID
	d.status = "active"
	d.createdBy, d.updatedBy = g.personID, g.personID
	d.createdAt, d.updatedAt = now, now
	d.mint(s.currentKey(), now, s.rt.uuid())
	s.dsByID[d.id] = d
	s.dsOrder = append(s.dsOrder, d)
	snap := *d
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, snap.view()) // signs the new token (~1 ms), outside the lock
}

func (s *Server) updateDataSource(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	g, e := s.dsCaller(r, true)
	if e != nil {
		writeError(w, e)
		return
	}
	obj, e := readJSONObject(r, body)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	cur := s.findDataSource(g, id)
	if cur == nil {
		s.mu.Unlock()
		writeError(w, errNotFound())
		return
	}
	// Webex takes the full registration or a sparse patch; absent fields keep their values.
	next := *cur
	f := &dsFields{obj: obj}
	if v, ok := f.schemaID(false); ok {
		next.schemaID = strings.ToLower(v)
		if v != "" && !s.schemaExists(v) {
			f.problems = append(f.problems, "schemaId "+v+" is not a known schema.")
		}
	}
	if v, ok := f.str("url", false); ok {
		next.url = v
		if v != "" {
			f.checkURL(v)
		}
	}
	if v, ok := f.str("audience", false); ok {
		next.audience = v
	}
	if v, ok := f.str("subject", false); ok {
		next.subject = v
	}
	if v, ok := f.str("nonce", false); ok {
		next.nonce = v
	}
	if v, ok := f.lifetime(false); ok {
		next.lifetime = v
	}
	msg, hasMsg := f.str("errorMessage", false)
	if hasMsg {
		next.errorMessage = msg
	}
	if v, ok := f.str("status", false); ok {
		switch v {
		case "active":
			if cur.status == "disabled" && !hasMsg {
				next.errorMessage = "" // re-enabling clears the message shown in Control Hub
			}
		case "disabled":
		default:
			f.problems = append(f.problems, "status must be active or disabled; got "+v+".")
		}
		next.status = v
	}
	if next.status == "disabled" && strings.TrimSpace(next.errorMessage) == "" {
		f.problems = append(f.problems, "errorMessage is required when status is disabled.")
	}
	if f.problems != nil {
		s.mu.Unlock()
		writeError(w, validationError(f.problems))
		return
	}
	now := s.now()
	next.updatedAt, next.updatedBy = now, g.personID
	next.mint(s.currentKey(), now, s.rt.uuid())
	*cur = next
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, next.view())
}

func (s *Server) deleteDataSource(w http.ResponseWriter, r *http.Request, id string) {
	g, e := s.dsCaller(r, true)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.findDataSource(g, id)
	if d == nil {
		writeError(w, errNotFound())
		return
	}
	delete(s.dsByID, d.id)
	i := sort.Search(len(s.dsOrder), func(i int) bool { return s.dsOrder[i].seq >= d.seq })
	s.dsOrder = slices.Delete(s.dsOrder, i, i+1)
	w.WriteHeader(http.StatusNoContent)
}
