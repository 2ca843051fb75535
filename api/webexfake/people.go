package webexfake

import "net/http"

type personView struct {
	ID          string   `json:"id"`
	Emails      []string `json:"emails"`
	DisplayName string   `json:"displayName"`
	FirstName   string   `json:"firstName,omitempty"`
	LastName    string   `json:"lastName,omitempty"`
	OrgID       string   `json:"orgId"`
	Created     string   `json:"created"`
	Type        string   `json:"type"`
}

// handlePeopleMe answers for whoever the token speaks for: the developer (PAT, Integration)
// or the Service App's machine account in the customer org.
func (s *Server) handlePeopleMe(w http.ResponseWriter, r *http.Request, _ []byte) {
	g, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.kind == kindServiceApp {
		o := s.orgs[g.orgID]
		writeJSON(w, http.StatusOK, personView{
			ID:          HydraID("PEOPLE", g.personID),
			Emails:      []string{"serviceapp-" + g.personID[:8] + "@machine.webex.example"},
			DisplayName: s.sa.name,
			OrgID:       HydraID("ORGANIZATION", g.orgID),
			Created:     isoTime(o.authorizedAt),
			Type:        "appuser",
		})
		return
	}
	p := s.developer
	writeJSON(w, http.StatusOK, personView{
		ID: HydraID("PEOPLE", p.id), Emails: []string{p.email}, DisplayName: p.displayName(),
		FirstName: p.firstName, LastName: p.lastName, OrgID: HydraID("ORGANIZATION", p.orgID),
		Created: isoTime(p.created), Type: "person",
	})
}
