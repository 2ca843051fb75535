package api

import (
	"context"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// nextLink returns the rel="next" target of an RFC 8288 Link header, or "".
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, part := range splitLinks(v) {
			part = strings.TrimSpace(part)
			if !strings.HasPrefix(part, "<") {
				continue
			}
			end := strings.Index(part, ">")
			if end < 0 {
				continue
			}
			target := part[1:end]
			for _, p := range strings.Split(part[end+1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
					if strings.EqualFold(rel, "next") {
						return target
					}
				}
			}
		}
	}
	return ""
}

// splitLinks splits a Link header on the commas between links, not those inside <…>.
func splitLinks(v string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range v {
		switch r {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// tolerant decodes lists leniently: Webex is the authority on its own JSON, and a duplicate
// key or a stray byte in a display name should not cost the user the whole list.
var tolerant = jsonv2.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

type page[T any] struct {
	Items []T `json:"items"`
}

// fetched is one page's body, or the error that ended the walk.
type fetched struct {
	body []byte
	err  error
}

// eachPage fetches path and every page after it, handing each page's items to fn in order.
// The next page is fetched while the current one is decoded (the Link header is all the walk
// needs). A next link must stay on the base URL's scheme and host, so the bearer token never
// leaks to another server; a link seen twice ends the walk as an error rather than looping.
func eachPage[T any](ctx context.Context, c *Client, path string, q url.Values, fn func([]T) error) error {
	if c.page > 0 {
		if q == nil {
			q = url.Values{}
		}
		if q.Get("max") == "" {
			q.Set("max", strconv.Itoa(c.page))
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan fetched, 1)
	go func() {
		defer close(pages)
		send := func(f fetched) bool {
			select {
			case pages <- f:
				return true
			case <-ctx.Done():
				return false
			}
		}
		next := c.endpoint(path, q)
		seen := map[string]bool{}
		for next != "" {
			if seen[next] {
				send(fetched{err: fmt.Errorf("Webex paging for %s repeats a page: stopped to avoid a loop", path)})
				return
			}
			seen[next] = true
			resp, err := c.do(ctx, call{method: http.MethodGet, url: next, auth: true})
			if err != nil {
				send(fetched{err: err})
				return
			}
			next, err = c.nextPage(path, resp.header)
			if !send(fetched{body: resp.body}) {
				return
			}
			if err != nil {
				send(fetched{err: err})
				return
			}
		}
	}()
	for p := range pages {
		if p.err != nil {
			return p.err
		}
		var pg page[T]
		if err := jsonv2.Unmarshal(p.body, &pg, tolerant); err != nil {
			return fmt.Errorf("Webex sent a list for %s that is not the JSON expected: %w", path, err)
		}
		if err := fn(pg.Items); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// nextPage resolves the rel="next" link of a list answer ("" at the end).
func (c *Client) nextPage(path string, h http.Header) (string, error) {
	link := nextLink(h)
	if link == "" {
		return "", nil
	}
	u, err := c.base.Parse(link)
	if err != nil {
		return "", fmt.Errorf("Webex sent a next-page link for %s that is not a URL: %w", path, err)
	}
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return "", fmt.Errorf("Webex sent a next-page link to another host (%s) for %s: refusing to send the token there", u.Host, path)
	}
	return u.String(), nil
}

// listAll collects every item of every page.
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, path, q, func(items []T) error {
		all = append(all, items...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if all == nil {
		all = []T{}
	}
	return all, nil
}
