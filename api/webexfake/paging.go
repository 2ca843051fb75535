package webexfake

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// The webhooks list pages like every documented Webex list (RFC 5988 Link headers, spec §1.1);
// data sources and schemas are one body unless Options.PageSize opts into paging them too (a
// stress mode: their docs name no query parameters). `max` picks the page size, and while more items remain the response carries
// `Link: <…?max=N&after=CURSOR>; rel="next"` (and rel="first" from the second page on). The
// cursor is the opaque, base64-encoded insertion sequence of the last item sent, so pages stay
// stable when items are created or deleted between requests.

// maxPageSize caps `max`; values outside 1..maxPageSize are clamped, not refused, because no
// source states a bound (docs/webex-fake.md, 18).
const maxPageSize = 1000

// defaultWebhookPage is the documented default of GET /webhooks `max`.
const defaultWebhookPage = 100

type pageReq struct {
	max   int
	after uint64 // sequence of the last item already seen; 0 = from the start
}

func parsePage(r *http.Request, kind string, def int) (pageReq, *apiError) {
	q := r.URL.Query()
	p := pageReq{max: def}
	if q.Has("max") {
		n, err := strconv.Atoi(q.Get("max"))
		if err != nil {
			return p, newError(http.StatusBadRequest,
				fmt.Sprintf("Invalid value for max: %q; it must be a number.", q.Get("max")))
		}
		p.max = min(max(n, 1), maxPageSize)
	}
	if q.Has("after") {
		seq, ok := decodeCursor(kind, q.Get("after"))
		if !ok {
			return p, newError(http.StatusBadRequest, "Invalid paging cursor.",
				"The after parameter is not a cursor from a Link header of this list.")
		}
		p.after = seq
	}
	return p, nil
}

// parseUnpagedList reads the paging of a list Webex documents without paging: everything in
// one body (query ignored, as Webex ignores unknown parameters) unless PageSize is set.
func (s *Server) parseUnpagedList(r *http.Request, kind string) (pageReq, *apiError) {
	if s.opts.PageSize == 0 {
		return pageReq{max: math.MaxInt}, nil
	}
	return parsePage(r, kind, s.opts.PageSize)
}

// webhookPageSize is the page size of GET /webhooks without `max`.
func (s *Server) webhookPageSize() int {
	if s.opts.PageSize > 0 {
		return s.opts.PageSize
	}
	return defaultWebhookPage
}

func encodeCursor(kind string, seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatUint(seq, 10)))
}

func decodeCursor(kind, s string) (uint64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	k, n, found := strings.Cut(string(b), ":")
	if !found || k != kind {
		return 0, false
	}
	seq, err := strconv.ParseUint(n, 10, 64)
	return seq, err == nil && seq > 0
}

// pageOf returns the page of items (ascending by seq) that keep accepts, and whether more follow.
func pageOf[T any](items []T, seqOf func(T) uint64, keep func(T) bool, p pageReq) (page []T, more bool) {
	start := sort.Search(len(items), func(i int) bool { return seqOf(items[i]) > p.after })
	for _, it := range items[start:] {
		if !keep(it) {
			continue
		}
		if len(page) == p.max {
			return page, true
		}
		page = append(page, it)
	}
	return page, false
}

// setLink writes the Link header for a page whose last item has sequence last.
func setLink(w http.ResponseWriter, r *http.Request, kind string, p pageReq, last uint64, more bool) {
	var links []string
	link := func(after uint64, rel string) {
		q := r.URL.Query()
		q.Del("before")
		q.Del("after")
		q.Set("max", strconv.Itoa(p.max))
		if after > 0 {
			q.Set("after", encodeCursor(kind, after))
		}
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
		links = append(links, fmt.Sprintf("<%s>; rel=%q", u.String(), rel))
	}
	if p.after > 0 {
		link(0, "first")
	}
	if more {
		link(last, "next")
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}
