// Package uitest holds what the UI tests share: fixed data sources, schemas and tokens around a
// fixed clock (stable goldens), key presses, a webexfake session, and a one-screen host for journeys.
package uitest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/api"
)

// Now is the clock of every fixture. It is far ahead so tokens stored for it are still fresh by
// the real clock (the api client checks freshness with time.Now).
var Now = time.Date(2099, 1, 1, 12, 0, 0, 0, time.UTC)

// Clock returns Now.
func Clock() time.Time { return Now }

// Org is the fixture org.
const Org = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"

// Schema ids.
const (
	SchemaVVA = "5397013b-7920-4ffc-807c-e8a3e0a18f43"
	SchemaWeb = "78efc775-dccb-45ca-9acf-989a4a59f788"
	SchemaWS  = "a38a10b7-43e4-4676-a076-a7d6dce9387d"
)

// Schemas is the schema list.
func Schemas() []api.Schema {
	return []api.Schema{
		{ID: SchemaVVA, AppType: "serviceApp", Protocol: "gRPC", ServiceType: "VoiceVirtualAgent"},
		{ID: SchemaWeb, AppType: "serviceApp", Protocol: "gRPC", ServiceType: "webService"},
		{ID: SchemaWS, AppType: "serviceApp", Protocol: "WebSocket", ServiceType: "VoiceVirtualAgentWebSocket"},
	}
}

// KeyID is the kid of every fixture token, and of the key the fixture server publishes.
const KeyID = "19af361a-3ab4-5471-a5b0-72d184294c2f"

// JWS builds a compact token with the claims. The signature is filler, so a check against the
// fixture server's key set (which has a key of that kid) fails the same way every run.
func JWS(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": KeyID})
	c, _ := json.Marshal(claims)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(c) + "." + enc.EncodeToString([]byte("signature-not-checked-by-byova"))
}

// Spec describes one fixture data source.
type Spec struct {
	ID, Schema, URL, Audience, Subject, Status, ErrorMessage string
	Expires                                                  time.Duration // from Now; 0: no token
	Lifetime                                                 int
}

// Specs are the fixture data sources: one of each state the list must show.
var Specs = []Spec{
	{"0c5d6f3e-1d2a-4b5c-8e9f-0a1b2c3d4e5f", SchemaVVA, "https://gw.example.com/byova/grpc", "BYOVAGateway", "callAudioData", "active", "", 23 * time.Hour, 1440},
	{"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", SchemaWeb, "https://va.example.com/service1", "MedDocVirtualAgent", "transcripts", "active", "", 25 * time.Minute, 60},
	{"2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", SchemaVVA, "https://legacy.example.net/very/long/path/to/the/grpc/endpoint", "ClaimsAssistant", "mediaForking", "active", "", -6 * time.Hour, 1440},
	{"3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f", SchemaVVA, "https://maint.example.com/grpc", "BankingVA", "callAudioData", "disabled", "Gateway under maintenance until 06:00 UTC.", 10 * time.Hour, 1440},
	{"4d5e6f7a-8b9c-4d0e-1f2a-3b4c5d6e7f8a", SchemaWS, "wss://ws.example.org/byova/stream", "RetailVA", "conversationEvents", "active", "", 5*time.Hour + 30*time.Minute, 720},
	{"5e6f7a8b-9c0d-4e1f-2a3b-4c5d6e7f8a9b", "c1f9e5d2-8a47-4b3e-9d16-5e2a7b0c4f81", "https://insights.example.com/callbacks", "SurveyBot", "callAudioData", "active", "", 0, 480},
}

// DataSource builds a data source as Webex sends it (decoded through api's JSON rules, so the
// derived expiry is set).
func DataSource(sp Spec) api.DataSource {
	var ds api.DataSource
	if err := json.Unmarshal(JSON(sp), &ds); err != nil {
		panic(err)
	}
	return ds
}

// JSON is the wire form of sp.
func JSON(sp Spec) []byte {
	obj := map[string]any{
		"id": sp.ID, "schemaId": sp.Schema, "url": sp.URL, "audience": sp.Audience, "subject": sp.Subject,
		"nonce": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "tokenLifetimeMinutes": sp.Lifetime,
		"status": sp.Status, "errorMessage": sp.ErrorMessage, "orgId": Org,
		"applicationId": "Cf2e954e018f2de8c1403e2618323551df65", "createdBy": "3e4d3b27-7b6b-4b69-9d5b-7f9c5c3f2a10",
		"createdAt": Now.Add(-40 * 24 * time.Hour).Format(time.RFC3339), "updatedAt": Now.Add(-2 * time.Hour).Format(time.RFC3339),
	}
	if sp.Expires != 0 {
		exp := Now.Add(sp.Expires)
		obj["jwsToken"] = JWS(map[string]any{
			"iss": "https://idbroker.webex.com/idb", "aud": sp.Audience, "sub": sp.Subject,
			"iat": exp.Add(-time.Duration(sp.Lifetime) * time.Minute).Unix(), "exp": exp.Unix(),
			"jti": "7c1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6", "com.cisco.datasource.url": sp.URL,
			"com.cisco.datasource.schema.uuid": sp.Schema, "com.cisco.org.uuid": Org,
		})
	}
	b, _ := json.Marshal(obj)
	return b
}

// DataSources is every fixture data source.
func DataSources() []api.DataSource {
	out := make([]api.DataSource, len(Specs))
	for i, sp := range Specs {
		out[i] = DataSource(sp)
	}
	return out
}

// Many builds n generated data sources (benchmarks): varied audiences and expiries.
func Many(n int) []api.DataSource {
	specs := ManySpecs(n)
	out := make([]api.DataSource, n)
	for i, sp := range specs {
		out[i] = DataSource(sp)
	}
	return out
}

// ManySpecs describes n generated data sources.
func ManySpecs(n int) []Spec {
	auds := []string{"BYOVAGateway", "MedDocVirtualAgent", "AcmeVoiceBot", "ClaimsAssistant", "RetailVA", "BankingVA"}
	subs := []string{"callAudioData", "mediaForking", "transcripts", "conversationEvents"}
	out := make([]Spec, n)
	for i := range out {
		sp := Spec{
			ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), Schema: []string{SchemaVVA, SchemaWeb, SchemaWS}[i%3],
			URL:      fmt.Sprintf("https://bulk.va.example.com/tenant-%05d/grpc", i),
			Audience: auds[i%len(auds)], Subject: subs[i%len(subs)], Status: "active",
			Expires: time.Duration(i%1440-60) * time.Minute, Lifetime: 1440,
		}
		if i%17 == 0 {
			sp.Status, sp.ErrorMessage = "disabled", "maintenance"
		}
		if sp.Expires == 0 {
			sp.Expires = time.Minute
		}
		out[i] = sp
	}
	return out
}

// Server is a minimal Webex for golden tests: it serves the fixture list, schemas and single
// data sources, and records nothing else. Use webexfake for behaviour.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	specs []Spec
}

// NewServer starts a fixture server on 127.0.0.1.
func NewServer() *Server {
	s := &Server{specs: append([]Spec(nil), Specs...)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetSpecs replaces what the server lists.
func (s *Server) SetSpecs(specs []Spec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.specs = specs
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/v1/dataSources/schemas":
		_ = json.NewEncoder(w).Encode(map[string]any{"items": Schemas()})
	case path == "/v1/dataSources":
		var items []json.RawMessage
		for _, sp := range s.specs {
			items = append(items, JSON(sp))
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items})
	case path == api.JWKSPath:
		_ = json.NewEncoder(w).Encode(fixtureKeys())
	case strings.HasPrefix(path, "/v1/dataSources/"):
		id := strings.TrimPrefix(path, "/v1/dataSources/")
		for _, sp := range s.specs {
			if sp.ID == id {
				_, _ = w.Write(JSON(sp))
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"The requested resource could not be found.","trackingId":"ROUTER_FIXTURE_404"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"not found","trackingId":"ROUTER_FIXTURE"}`))
	}
}

// Key is the key press a person makes, by its name as byova's keymap spells it ("j", "G",
// "enter", "esc", "ctrl+r", "pgdown", "home", "shift+tab").
func Key(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(name, "f")); err == nil && strings.HasPrefix(name, "f") && n >= 1 && n <= 12 {
		return tea.KeyPressMsg{Code: tea.KeyF1 + rune(n-1)}
	}
	if rest, ok := strings.CutPrefix(name, "ctrl+"); ok && len(rest) == 1 {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(name)
	if len(r) != 1 {
		panic("uitest.Key: unknown key " + name)
	}
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// Type is the key presses of typing text.
func Type(text string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range text {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// Nonces returns a nonce generator that counts, so golden files stay stable.
func Nonces() func() string {
	n := 0
	return func() string {
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

// Colours lists the colour parameters (foreground, background, any depth) in the SGR
// sequences of s; attributes like bold or reverse are not colours.
func Colours(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		j := 0
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j == len(s) || s[j] != 'm' {
			continue // not SGR (a cursor move, an erase…)
		}
		params := strings.Split(s[:j], ";")
		for k := 0; k < len(params); k++ {
			var n int
			if _, err := fmt.Sscan(params[k], &n); err != nil {
				continue
			}
			switch {
			case n >= 30 && n <= 39 && n != 39, n >= 40 && n <= 48 && n != 49, n >= 90 && n <= 97, n >= 100 && n <= 107:
				out = append(out, s[:j])
			}
			if n == 38 || n == 48 {
				k = len(params) // the rest are the colour's own numbers
			}
		}
		s = s[j+1:]
	}
}

var (
	keysOnce sync.Once
	keySet   jose.JSONWebKeySet
)

// fixtureKeys is the key set the fixture server publishes: one RSA key with the fixture
// tokens' kid (made once per test binary; no fixture token is signed with it).
func fixtureKeys() jose.JSONWebKeySet {
	keysOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keySet = jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &k.PublicKey, KeyID: KeyID, Algorithm: "RS256", Use: "sig"}}}
	})
	return keySet
}
