package api

import (
	"context"
	"encoding/json"
	"fmt"
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

type page[T any] struct {
	Items []T `json:"items"`
}

// eachPage fetches path and every page after it, handing each page's items to fn.
// A next link must stay on the base URL's scheme and host, so the bearer token never leaks to
// another server; a link seen twice ends the walk as an error rather than looping.
func eachPage[T any](ctx context.Context, c *Client, path string, q url.Values, fn func([]T) error) error {
	if c.page > 0 {
		if q == nil {
			q = url.Values{}
		}
		if q.Get("max") == "" {
			q.Set("max", strconv.Itoa(c.page))
		}
	}
	next := c.endpoint(path, q)
	seen := map[string]bool{}
	for next != "" {
		if seen[next] {
			return fmt.Errorf("Webex paging for %s repeats a page: stopped to avoid a loop", path)
		}
		seen[next] = true
		resp, err := c.do(ctx, call{method: http.MethodGet, url: next, auth: true})
		if err != nil {
			return err
		}
		var p page[T]
		if err := json.Unmarshal(resp.body, &p); err != nil {
			return fmt.Errorf("Webex sent a list for %s that is not the JSON expected: %w", path, err)
		}
		if err := fn(p.Items); err != nil {
			return err
		}
		link := nextLink(resp.header)
		if link == "" {
			return nil
		}
		u, err := c.base.Parse(link)
		if err != nil {
			return fmt.Errorf("Webex sent a next-page link for %s that is not a URL: %w", path, err)
		}
		if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
			return fmt.Errorf("Webex sent a next-page link to another host (%s) for %s: refusing to send the token there", u.Host, path)
		}
		next = u.String()
	}
	return nil
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
