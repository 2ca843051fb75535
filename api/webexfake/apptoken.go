package webexfake

import (
	"net/http"
	"strings"
)

// handleAppToken is POST /v1/applications/{appId}/token: a person (PAT or Integration token
// with spark:applications_token) asks for the Service App's token pair in a customer org.
func (s *Server) handleAppToken(w http.ResponseWriter, r *http.Request, appID string, body []byte) {
	g, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return
	}
	if g.kind == kindServiceApp {
		writeError(w, errForbiddenScope(ScopeApplicationsToken))
		return
	}
	if e := requireScope(g, ScopeApplicationsToken); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	saID := s.sa.id
	s.mu.Unlock()
	if kind, clientID, ok := parseHydra(appID); !ok || kind != "APPLICATION" || clientID != saID {
		writeError(w, newError(http.StatusNotFound, "Service App not found.",
			"No Service App has the id "+appID+"."))
		return
	}
	obj, e := readJSONObject(r, body)
	if e != nil {
		writeError(w, e)
		return
	}
	var problems []string
	field := func(name string) string {
		v, present, problem := obj.str(name)
		switch {
		case problem != "":
			problems = append(problems, problem)
		case !present || strings.TrimSpace(v) == "":
			problems = append(problems, name+" is required")
		}
		return v
	}
	clientID, secret, target := field("clientId"), field("clientSecret"), field("targetOrgId")
	if problems != nil {
		writeError(w, validationError(problems))
		return
	}
	orgID, ok := parseOrgID(target)
	if !ok {
		writeError(w, validationError([]string{"targetOrgId must be an org UUID or a Webex org id."}))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if clientID != s.sa.id || secret != s.sa.secret {
		// The Authorization header here is the caller's bearer, not client authentication:
		// 400, so the caller's token is not taken for the one refused (RFC 6749 §5.2).
		writeError(w, errClientCredentials(false))
		return
	}
	o := s.orgs[orgID]
	if o == nil || !o.authorized {
		writeError(w, newError(http.StatusForbidden, "The Service App is not authorized in the target org.",
			"A Full Admin of org "+orgID+" must authorize the Service App in Control Hub."))
		return
	}
	sg := grant{kind: kindServiceApp, clientID: s.sa.id, orgID: orgID, personID: o.machineID, scopes: serviceAppScopes}
	a := s.issueAccess(sg, s.opts.AccessTokenTTL, "")
	rt := s.issueRefresh(sg, "")
	writeJSON(w, http.StatusOK, s.tokenBody(a, rt))
}
