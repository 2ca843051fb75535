package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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

// errListTooLong is the cause of a list walk that ran out of its total time.
var errListTooLong = errors.New("list took too long")

// eachItem fetches path and every page after it, decoding each page's items one at a time
// from the wire and handing each to fn in order, so memory does not grow with the list. It
// takes a paged answer (Link rel="next") and an unpaged one alike. The next page is asked for
// while the current one is decoded (its Link header is all that needs), one page ahead at
// most. A next link must stay on the base URL's scheme and host, so the bearer token never
// leaks to another server; a link seen twice, more than MaxPages pages, or more than
// ListTimeout in all end the walk as an error rather than looping. what names the items for
// messages ("data sources").
func eachItem[T any](ctx context.Context, c *Client, path string, q url.Values, what string, fn func(*T) error) error {
	return eachItemWith(ctx, c, path, q, what, decodeEach(fn))
}

// eachItemWith is eachItem with each item read from the decoder by read (see readItems).
func eachItemWith(ctx context.Context, c *Client, path string, q url.Values, what string, read func(*jsontext.Decoder) error) error {
	if c.page > 0 {
		if q == nil {
			q = url.Values{}
		}
		if q.Get("max") == "" {
			q.Set("max", strconv.Itoa(c.page))
		}
	}
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, c.listTime, errListTooLong)
	defer cancel()
	pages := make(chan fetched) // unbuffered: the fetcher is one page ahead, no more
	go c.fetchPages(ctx, path, c.endpoint(path, q), what, pages)
	defer func() {
		cancel()
		for p := range pages { // let the fetcher finish, closing what it opened
			if p.resp != nil {
				p.resp.stream.Close()
			}
		}
	}()
	n, items := 0, 0
	stopped := func(err error) error {
		if parent.Err() == nil && errors.Is(context.Cause(ctx), errListTooLong) {
			return fmt.Errorf("listing %s took longer than %s (%d pages, %d %s so far): stopped — Webex is slow or its paging does not end; try again later", path, c.listTime, n, items, what)
		}
		return err
	}
	for p := range pages {
		if p.err != nil {
			if p.tooMany {
				return fmt.Errorf("Webex kept sending next-page links for %s after %d pages (%d %s): stopped — its paging looks endless; try again later", path, n, items, what)
			}
			return stopped(p.err)
		}
		n++
		got, err := readItems(p.resp.stream, path, p.resp.header, what, items, read)
		p.resp.stream.Close()
		items += got
		if err != nil {
			return stopped(err)
		}
	}
	// The fetcher stops without a word when ctx ends: never read that as the end of the list.
	if err := parent.Err(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	return nil
}

// fetched is one page's open answer, or the error that ended the walk.
type fetched struct {
	resp    *response
	err     error
	tooMany bool // the page cap was reached
}

// fetchPages sends each page's answer on out, then asks for the next, until the last page, an
// error, or ctx ends. It closes out when done.
func (c *Client) fetchPages(ctx context.Context, path, next, what string, out chan<- fetched) {
	defer close(out)
	send := func(f fetched) bool {
		select {
		case out <- f:
			return true
		case <-ctx.Done():
			if f.resp != nil {
				f.resp.stream.Close()
			}
			return false
		}
	}
	seen := map[string]bool{}
	for pages := 0; next != ""; pages++ {
		if seen[next] {
			send(fetched{err: fmt.Errorf("Webex paging for %s repeats a page: stopped to avoid a loop", path)})
			return
		}
		if pages == c.maxPages {
			send(fetched{err: errors.New("too many pages"), tooMany: true})
			return
		}
		seen[next] = true
		resp, err := c.send(ctx, call{method: http.MethodGet, url: next, auth: true}, true)
		if err != nil {
			send(fetched{err: err})
			return
		}
		link, err := c.nextPage(path, resp.header)
		if err != nil {
			resp.stream.Close()
			send(fetched{err: err})
			return
		}
		if !send(fetched{resp: resp}) {
			return
		}
		next = link
	}
}

// decodeItems reads one list body `{"items":[…], …}` item by item. `{"items":[]}` is an empty
// list; an empty body, null, an object without items, `"items": null` and null items are
// ReplyErrors (an org's list is never silently empty); other shapes are "not the JSON
// expected". base is the count of items before this page,
// so an error names the item's place in the whole list.
func decodeItems[T any](r io.Reader, path string, h http.Header, what string, base int, fn func(*T) error) (int, error) {
	return readItems(r, path, h, what, base, decodeEach(fn))
}

// decodeEach reads an item by decoding it into a T and hands that to fn.
func decodeEach[T any](fn func(*T) error) func(*jsontext.Decoder) error {
	return func(dec *jsontext.Decoder) error {
		var v T
		if err := jsonv2.UnmarshalDecode(dec, &v); err != nil {
			return notJSONErr{err}
		}
		return fn(&v)
	}
}

// notJSONList is the error for a list body (or an item of it) that is not the JSON expected.
func notJSONList(path string, err error) error {
	var nj notJSONErr
	if errors.As(err, &nj) {
		err = nj.err
	}
	return fmt.Errorf("Webex sent a list for %s that is not the JSON expected: %w", path, err)
}

// notJSONErr is an item that is not the JSON expected (from an item reader); any other error
// an item reader returns is its own.
type notJSONErr struct{ err error }

func (e notJSONErr) Error() string { return e.err.Error() }
func (e notJSONErr) Unwrap() error { return e.err }

// readItems is decodeItems with each item (an object, next in the decoder) read by read,
// which consumes exactly that object.
func readItems(r io.Reader, path string, h http.Header, what string, base int, read func(*jsontext.Decoder) error) (int, error) {
	bad := func(format string, a ...any) error {
		return badReply(http.MethodGet, path, h, format, a...)
	}
	dec := jsontext.NewDecoder(r, tolerant)
	notJSON := func(err error) error { return notJSONList(path, err) }
	tok, err := dec.ReadToken()
	switch {
	case errors.Is(err, io.EOF):
		return 0, bad("an empty body where a list of %s was due", what)
	case err != nil:
		return 0, notJSON(err)
	case tok.Kind() == jsontext.KindNull:
		return 0, bad("null where a list of %s was due", what)
	case tok.Kind() != jsontext.KindBeginObject:
		return 0, notJSON(fmt.Errorf("a JSON %s where an object with items was due", kindName(tok.Kind())))
	}
	n, sawItems := 0, false
	for dec.PeekKind() == jsontext.KindString {
		name, err := dec.ReadToken()
		if err != nil {
			return n, notJSON(err)
		}
		if name.String() != "items" {
			if err := dec.SkipValue(); err != nil {
				return n, notJSON(err)
			}
			continue
		}
		sawItems = true
		switch k := dec.PeekKind(); k {
		case jsontext.KindBeginArray:
		case jsontext.KindNull:
			return n, bad(`"items": null where a list of %s was due`, what)
		case 0:
			_, err := dec.ReadToken()
			return n, notJSON(err)
		default:
			return n, notJSON(fmt.Errorf(`"items" is a JSON %s, not a list`, kindName(k)))
		}
		if _, err := dec.ReadToken(); err != nil {
			return n, notJSON(err)
		}
		for k := dec.PeekKind(); k != jsontext.KindEndArray; k = dec.PeekKind() {
			switch k {
			case jsontext.KindBeginObject:
			case jsontext.KindNull:
				return n, bad("a null in place of item %d of the %s", base+n+1, what)
			case 0:
				_, err := dec.ReadToken()
				return n, notJSON(err)
			default:
				return n, notJSON(fmt.Errorf("item %d is a JSON %s, not an object", base+n+1, kindName(k)))
			}
			if err := read(dec); err != nil {
				var nj notJSONErr
				if errors.As(err, &nj) {
					return n, notJSON(nj.err)
				}
				return n + 1, err
			}
			n++
		}
		if _, err := dec.ReadToken(); err != nil {
			return n, notJSON(err)
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return n, notJSON(err)
	}
	if !sawItems {
		return n, bad(`an object without "items" where a list of %s was due`, what)
	}
	return n, nil
}

func kindName(k jsontext.Kind) string {
	switch k {
	case jsontext.KindNull:
		return "null"
	case jsontext.KindTrue, jsontext.KindFalse:
		return "boolean"
	case jsontext.KindString:
		return "string"
	case jsontext.KindNumber:
		return "number"
	case jsontext.KindBeginObject:
		return "object"
	case jsontext.KindBeginArray:
		return "array"
	}
	return "value"
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
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values, what string) ([]T, error) {
	all := []T{}
	err := eachItem(ctx, c, path, q, what, func(v *T) error {
		all = append(all, *v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}
