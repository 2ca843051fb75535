package webexfake

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

type handlerFunc func(w http.ResponseWriter, r *http.Request, body []byte)

// route maps a request to its handler. Collection paths take an optional trailing slash and
// /v1/datasources is accepted next to the canonical /v1/dataSources.
func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	path := r.URL.EscapedPath()
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	if path == JWKSPath {
		methods(w, r, body, map[string]handlerFunc{http.MethodGet: s.handleJWKS})
		return
	}
	raw := strings.Split(strings.TrimPrefix(path, "/"), "/")
	segs := make([]string, len(raw))
	for i, seg := range raw {
		v, err := url.PathUnescape(seg)
		if err != nil {
			writeError(w, errNotFound())
			return
		}
		segs[i] = v
	}
	if len(segs) < 2 || segs[0] != "v1" {
		writeError(w, errNotFound())
		return
	}
	n := len(segs)
	switch {
	case n == 2 && segs[1] == "authorize":
		methods(w, r, body, map[string]handlerFunc{http.MethodGet: s.handleAuthorize})
	case n == 2 && segs[1] == "access_token":
		methods(w, r, body, map[string]handlerFunc{http.MethodPost: s.handleAccessToken})
	case n >= 4 && segs[1] == "applications" && segs[n-1] == "token":
		// A standard-base64 app id may carry unescaped "/": everything between is the id.
		appID := strings.Join(segs[2:n-1], "/")
		methods(w, r, body, map[string]handlerFunc{http.MethodPost: func(w http.ResponseWriter, r *http.Request, b []byte) {
			s.handleAppToken(w, r, appID, b)
		}})
	case n == 3 && segs[1] == "people" && segs[2] == "me":
		methods(w, r, body, map[string]handlerFunc{http.MethodGet: s.handlePeopleMe})
	case n >= 3 && segs[1] == "organizations":
		// A standard-base64 org id may carry unescaped "/", as app ids do.
		orgID := strings.Join(segs[2:], "/")
		methods(w, r, body, map[string]handlerFunc{http.MethodGet: func(w http.ResponseWriter, r *http.Request, _ []byte) {
			s.getOrganization(w, r, orgID)
		}})
	case segs[1] == "dataSources" || segs[1] == "datasources":
		s.routeDataSources(w, r, body, segs[2:])
	case segs[1] == "webhooks":
		s.routeWebhooks(w, r, body, segs[2:])
	default:
		writeError(w, errNotFound())
	}
}

func (s *Server) routeDataSources(w http.ResponseWriter, r *http.Request, body []byte, rest []string) {
	switch {
	case len(rest) == 0:
		methods(w, r, body, map[string]handlerFunc{
			http.MethodGet: s.listDataSources, http.MethodPost: s.createDataSource,
		})
	case len(rest) == 1 && rest[0] == "schemas":
		methods(w, r, body, map[string]handlerFunc{http.MethodGet: s.listSchemas})
	case len(rest) == 2 && rest[0] == "schemas":
		methods(w, r, body, map[string]handlerFunc{http.MethodGet: func(w http.ResponseWriter, r *http.Request, _ []byte) {
			s.getSchema(w, r, rest[1])
		}})
	case len(rest) == 1:
		id := rest[0]
		methods(w, r, body, map[string]handlerFunc{
			http.MethodGet:    func(w http.ResponseWriter, r *http.Request, _ []byte) { s.getDataSource(w, r, id) },
			http.MethodPut:    func(w http.ResponseWriter, r *http.Request, b []byte) { s.updateDataSource(w, r, id, b) },
			http.MethodDelete: func(w http.ResponseWriter, r *http.Request, _ []byte) { s.deleteDataSource(w, r, id) },
		})
	default:
		writeError(w, errNotFound())
	}
}

func (s *Server) routeWebhooks(w http.ResponseWriter, r *http.Request, body []byte, rest []string) {
	switch len(rest) {
	case 0:
		methods(w, r, body, map[string]handlerFunc{
			http.MethodGet: s.listWebhooks, http.MethodPost: s.createWebhook,
		})
	case 1:
		id := rest[0]
		methods(w, r, body, map[string]handlerFunc{
			http.MethodGet:    func(w http.ResponseWriter, r *http.Request, _ []byte) { s.getWebhook(w, r, id) },
			http.MethodPut:    func(w http.ResponseWriter, r *http.Request, b []byte) { s.updateWebhook(w, r, id, b) },
			http.MethodDelete: func(w http.ResponseWriter, r *http.Request, _ []byte) { s.deleteWebhook(w, r, id) },
		})
	default:
		writeError(w, errNotFound())
	}
}

// methods dispatches on the request method, answering 405 with Allow for the others.
func methods(w http.ResponseWriter, r *http.Request, body []byte, byMethod map[string]handlerFunc) {
	if h, ok := byMethod[r.Method]; ok {
		h(w, r, body)
		return
	}
	allowed := make([]string, 0, len(byMethod))
	for m := range byMethod {
		allowed = append(allowed, m)
	}
	sort.Strings(allowed)
	e := newError(http.StatusMethodNotAllowed, "",
		r.Method+" is not supported here; use "+strings.Join(allowed, ", ")+".")
	e.allow = strings.Join(allowed, ", ")
	writeError(w, e)
}
