package gatewayfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// jwks fetches the key set the fake checks tokens against (the fake Webex's, or --jwks-url),
// caches it for an hour as gateways do, and fetches again, at most once a minute, for a kid
// it lacks (a rotated key).
type jwks struct {
	url    string
	client *http.Client

	mu      sync.Mutex
	keys    *jose.JSONWebKeySet
	fetched time.Time
}

func newJWKS(url string) *jwks {
	return &jwks{url: url, client: &http.Client{Timeout: 10 * time.Second}}
}

func (j *jwks) get(kid string) (*jose.JSONWebKeySet, error) {
	j.mu.Lock()
	keys, fetched := j.keys, j.fetched
	j.mu.Unlock()
	age := time.Since(fetched)
	if keys != nil && age < time.Hour && (len(keys.Key(kid)) > 0 || age < time.Minute) {
		return keys, nil
	}
	// Fetched without the lock (house rule 1): two callers may both fetch, which is harmless.
	got, err := j.fetch()
	if err != nil {
		if keys != nil {
			return keys, nil // keep the set we have, as gateways do on a failed fetch
		}
		return nil, err
	}
	j.mu.Lock()
	j.keys, j.fetched = got, time.Now()
	j.mu.Unlock()
	return got, nil
}

func (j *jwks) fetch() (*jose.JSONWebKeySet, error) {
	if j.url == "" {
		return nil, errors.New("no key set configured")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.url, nil)
	if err != nil {
		return nil, err
	}
	res, err := j.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the key set: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the key set answered HTTP %d", res.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) == 0 {
		return nil, errors.New("the key set is not a JWKS with keys")
	}
	return &set, nil
}
