package api

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// OAuth outcomes the sign-in wizard tells apart.
var (
	ErrStateMismatch = errors.New("the sign-in answer's state does not match the request (possible forgery): start again")
	ErrAuthTimeout   = errors.New("no answer from the browser in time: start again, or paste the address you were redirected to")
)

// OAuthDenied is Webex's error=… redirect (the user declined, or the request was wrong).
type OAuthDenied struct {
	Code        string
	Description string
}

func (e *OAuthDenied) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("Webex did not grant access: %s (%s)", e.Description, e.Code)
	}
	return "Webex did not grant access: " + e.Code
}

// ParseRedirect reads code and state from the address the browser was sent to (pasted by a
// user without a browser on this machine) and checks the state.
func ParseRedirect(address, wantState string) (string, error) {
	u, err := url.Parse(address)
	if err != nil || u.RawQuery == "" {
		return "", fmt.Errorf("that is not the address you were redirected to: paste the whole URL, with ?code=…&state=…")
	}
	return codeFrom(u.Query(), wantState)
}

func codeFrom(q url.Values, wantState string) (string, error) {
	if e := q.Get("error"); e != "" {
		return "", &OAuthDenied{Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", fmt.Errorf("the address has no code: paste the whole URL, with ?code=…&state=…")
	}
	if q.Get("state") != wantState {
		return "", ErrStateMismatch
	}
	return code, nil
}

// RedirectListener waits on the redirect URI's loopback host and port for the browser.
type RedirectListener struct {
	srv    *http.Server
	ln     net.Listener
	once   sync.Once
	result chan listenResult
}

type listenResult struct {
	code string
	err  error
}

// ListenRedirect binds the redirect URI's host and port (loopback only) now, so the
// authorize URL is shown only once something is there to answer.
func ListenRedirect(redirectURI, state string) (*RedirectListener, error) {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("redirect URI %q must be an http://127.0.0.1:PORT/PATH address to listen on; otherwise paste the redirected address", redirectURI)
	}
	host := u.Hostname()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("redirect URI host %q is not this machine: byova only listens on loopback; paste the redirected address instead", u.Hostname())
	}
	port := u.Port()
	if port == "" || port == "80" {
		port = "8765"
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, fmt.Errorf("redirect URI port %q is not a number", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s for the sign-in redirect (%v): free the port or change WEBEX_INTEGRATION_REDIRECT_URI", net.JoinHostPort(host, port), err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	l := &RedirectListener{ln: ln, result: make(chan listenResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		q := r.URL.Query()
		if q.Get("error") == "" && q.Get("code") == "" {
			htmlPage(w, http.StatusBadRequest, "No code in this address", "Waiting for the sign-in redirect.")
			return
		}
		code, err := codeFrom(q, state)
		if err != nil {
			htmlPage(w, http.StatusBadRequest, "Sign-in failed", err.Error())
		} else {
			htmlPage(w, http.StatusOK, "Signed in", "byova has the code. You can close this tab and return to the terminal.")
		}
		l.once.Do(func() { l.result <- listenResult{code, err} })
	})
	l.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go l.srv.Serve(ln)
	return l, nil
}

// Addr is where the listener is bound.
func (l *RedirectListener) Addr() string { return l.ln.Addr().String() }

// Wait returns the code once the browser arrives, or the outcome that ended the wait.
func (l *RedirectListener) Wait(ctx context.Context, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-l.result:
		return r.code, r.err
	case <-t.C:
		return "", ErrAuthTimeout
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Close stops listening.
func (l *RedirectListener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return l.srv.Shutdown(ctx)
}

func htmlPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>byova: %s</title><h1>%s</h1><p>%s</p>", html.EscapeString(title), html.EscapeString(title), html.EscapeString(text))
}
