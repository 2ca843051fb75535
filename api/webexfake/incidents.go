package webexfake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Incidents a person can rehearse: each is reachable from Go and, with Options.Control, from
// `byova fake ctl` (control.go).

// ExpireOrgTokens makes the Service App access tokens of orgID answer 401 from now on, as if
// their hour ran out; with refresh, its refresh tokens stop working too (the org must be
// authorized again). It returns how many tokens it ended.
func (s *Server) ExpireOrgTokens(orgID string, refresh bool) (int, error) {
	id, ok := parseOrgID(orgID)
	if !ok {
		return 0, fmt.Errorf("org %q is not an org UUID or Hydra org id", orgID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orgs[id] == nil {
		return 0, fmt.Errorf("org %s is not known to the fake", id)
	}
	n := 0
	for _, t := range s.access {
		if t.kind == kindServiceApp && t.orgID == id && !t.revoked {
			t.revoked = true
			n++
		}
	}
	if refresh {
		for _, t := range s.refresh {
			if t.kind == kindServiceApp && t.orgID == id && !t.revoked {
				t.revoked = true
				n++
			}
		}
	}
	return n, nil
}

// ExpireDataSource re-issues the data source's token so that it expires in d (0: now, so it is
// already expired), keeping its lifetime: as if the registration was last extended long ago.
func (s *Server) ExpireDataSource(id string, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, errors.New("the time left must not be negative")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.dsByID[strings.ToLower(id)]
	if ds == nil {
		return time.Time{}, fmt.Errorf("no data source %s", id)
	}
	exp := s.now().Add(d)
	ds.mint(s.currentKey(), exp.Add(-time.Duration(ds.lifetime)*time.Minute), s.rt.uuid())
	return ds.expiry(), nil
}

// ForgeSignature re-issues the data source's token with a signature that does not verify
// (header and claims unchanged), until the next update mints a good one.
func (s *Server) ForgeSignature(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.dsByID[strings.ToLower(id)]
	if ds == nil {
		return fmt.Errorf("no data source %s", id)
	}
	c := ds.token.claims
	ds.token = newJWSToken(c, s.currentKey())
	ds.token.forged = true
	return nil
}

// DeliverTo makes orgID authorize (or deauthorize) the Service App and POSTs the serviceApp
// event to target, signed with secret as Webex signs deliveries (X-Spark-Signature, the hex
// HMAC-SHA1 of the body; spec §8.6), whether or not a webhook points there. It returns what the
// receiver answered.
func (s *Server) DeliverTo(event, orgID, target, secret string) (Delivery, error) {
	if event != "authorized" && event != "deauthorized" {
		return Delivery{}, fmt.Errorf("event %q: use authorized or deauthorized", event)
	}
	id, ok := parseOrgID(orgID)
	if !ok {
		return Delivery{}, fmt.Errorf("org %q is not an org UUID or Hydra org id", orgID)
	}
	if !validTargetURL(target) {
		return Delivery{}, fmt.Errorf("target %q must be an https URL, or http on loopback", target)
	}
	s.mu.Lock()
	o := s.orgs[id]
	if o == nil {
		if event == "deauthorized" {
			s.mu.Unlock()
			return Delivery{}, fmt.Errorf("org %s is not known to the fake", id)
		}
		o = &org{id: id, name: "Org " + id[:8], created: s.now(), machineID: s.rt.uuid(), adminID: s.rt.uuid()}
		s.orgs[id] = o
		s.orgOrder = append(s.orgOrder, id)
	}
	if event == "authorized" {
		o.authorized, o.authorizedAt = true, s.now()
	} else {
		o.authorized = false
		s.revokeOrgTokens(id)
	}
	h := webhook{
		id: HydraID("WEBHOOK", s.rt.uuid()), name: "byova fake ctl delivery", targetURL: target,
		resource: "serviceApp", event: event, secret: secret, status: "active", ownedBy: "creator",
		orgID: s.devOrgID, createdBy: s.developer.id, appID: s.portalApp, created: s.now(),
	}
	body, err := json.Marshal(s.envelope(&h, o))
	s.mu.Unlock()
	if err != nil {
		return Delivery{}, err
	}
	sent, err := s.deliverAll([]pendingEvent{{hook: h, body: body}})
	if len(sent) == 0 {
		return Delivery{}, errors.Join(err, errors.New("nothing was delivered"))
	}
	return sent[0], err
}

// sign is the X-Spark-Signature of body under secret.
func sign(body []byte, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}
