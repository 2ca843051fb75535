package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/safetext"
)

// envCAFile adds a CA to the roots probe and call trust (`fake serve --agent` prints it).
const envCAFile = "BYOVA_CA_FILE"

// caRoots are the roots probe, call, serve's prober and the UI trust for gateways: the
// system's and the CA in file (--ca-file), else in BYOVA_CA_FILE; nil, the system's alone. A
// CA that cannot be read is bad input (exit 2), named by where it came from.
func (a *app) caRoots(file string) (*x509.CertPool, error) {
	from := "--ca-file"
	if file == "" {
		file, from = a.getenv(envCAFile), envCAFile
	}
	if file == "" {
		return nil, nil
	}
	pool, err := gateway.LoadCAFile(file)
	if err != nil {
		return nil, usagef("%s: %v", from, err)
	}
	return pool, nil
}

// probeWorkers is how many endpoints are probed at once: a few, each holds two connections.
const probeWorkers = 4

// endpointFlags are the flags probe and call share.
type endpointFlags struct {
	caFile    string
	plaintext bool
	bearer    bool
	timeout   time.Duration
}

func (f *endpointFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.caFile, "ca-file", "", "PEM CA to trust besides the system roots (env "+envCAFile+"; the fake gateway prints its own)")
	fl.BoolVar(&f.plaintext, "plaintext", false, "h2c without TLS, for a gateway behind a TLS-terminating proxy tested from inside (loopback urls need no flag)")
	fl.BoolVar(&f.bearer, "bearer", false, "send \"Bearer <jws>\" in authorization instead of the bare token Webex's samples expect")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "how long each step may take")
}

func (a *app) endpointOptions(f *endpointFlags) (gateway.Options, error) {
	o := gateway.Options{Plaintext: f.plaintext, Bearer: f.bearer, Timeout: f.timeout}
	if f.timeout <= 0 || f.timeout > 10*time.Minute {
		return o, usagef("--timeout %s: give a duration from 1ms to 10m", f.timeout)
	}
	roots, err := a.caRoots(f.caFile)
	if err != nil {
		return o, err
	}
	o.Roots = roots
	if f.plaintext {
		fmt.Fprintln(a.stderr, "byova: warning: --plaintext: no TLS, which Webex never does; use it only inside the gateway's network")
	}
	return o, nil
}

func (a *app) probeCmd() *cobra.Command {
	var all, asJSON bool
	var rawURL, jwksURL, region string
	var ef endpointFlags
	cmd := &cobra.Command{
		Use:   "probe (ID... | --all | --url URL) [--json] [--timeout D] [--ca-file F] [--plaintext]",
		Short: "Check a data source's endpoint as Webex would reach it: dial, tls, auth, health, agents, claims",
		Long: `Probe each data source's gateway the way Webex reaches it, one step at a time:

  dial    DNS and TCP to the url's host and port (443 when none)
  tls     handshake against the system roots (--ca-file adds one), host name, ALPN h2, days
          until the certificate expires (warns under 14)
  auth    grpc.health.v1 Check without a token (a gateway that answers is a warning), then with
          the data source's current jwsToken in the authorization metadata (bare; --bearer)
  health  the serving status
  agents  ListVirtualAgents for the org
  claims  the checks gateways make on the token, by name: iss, signature (RS256 by kid), exp,
          aud, sub, jti, url (byte-equal to the registered url), schema

--all probes the org's active gRPC Voice Virtual Agent data sources whose token is current
(the others are named on stderr); name an ID to probe any. Exit 0 when every step of every
row holds, 4 when any fails.`,
		Example: `  byova probe --all
  byova probe 0b7f6a0e-… --json
  byova probe --url https://gw.example.com`,
		RunE: func(cmd *cobra.Command, ids []string) error {
			if err := checkIDs("data source", ids...); err != nil {
				return err // not one, so nothing is sent (exit 2), as everywhere an ID is taken
			}
			n := 0
			for _, set := range []bool{all, len(ids) > 0, rawURL != ""} {
				if set {
					n++
				}
			}
			if n != 1 {
				return usagef("give data source IDs, --all or --url, one of them")
			}
			var keysAt string
			if rawURL == "" { // --url probes without a token: no signature to check
				var err error
				if keysAt, err = a.keySetURL(jwksURL, region); err != nil {
					return err
				}
			}
			o, err := a.endpointOptions(&ef)
			if err != nil {
				return err
			}
			if rawURL != "" {
				if _, err := gateway.ParseTarget(rawURL, ef.plaintext); err != nil {
					return usagef("--url: %v", err)
				}
				return a.runProbes(cmd.Context(), nil, []gateway.ProbeRequest{{URL: rawURL}}, o, asJSON)
			}
			reqs, failed, err := a.probeRequests(cmd.Context(), ids, all, keysAt)
			if err != nil {
				return err
			}
			return a.runProbes(cmd.Context(), failed, reqs, o, asJSON)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&all, "all", false, "probe every active Voice Virtual Agent data source of the org")
	fl.StringVar(&rawURL, "url", "", "probe this url without a data source (no token: auth, agents and claims are partial)")
	fl.StringVar(&jwksURL, "jwks-url", "", "key set for the claims step's signature check (as ds verify)")
	fl.StringVar(&region, "region", "", "Webex key set of a region: us or eu")
	fl.BoolVar(&asJSON, "json", false, "print every step of every row as one JSON array")
	ef.add(cmd)
	return cmd
}

// probeRequests are the probes of the data sources named, or with all of every probeable
// one (the others are named on stderr), their signatures checked against the key set at
// keysAt. A source that cannot be read is a failed row of its own.
func (a *app) probeRequests(ctx context.Context, ids []string, all bool, keysAt string) ([]gateway.ProbeRequest, []*gateway.Probe, error) {
	c, _, err := a.orgClient()
	if err != nil {
		return nil, nil, err
	}
	keys := gateway.ProbeKeys{Set: api.NewKeySet(keysAt), Client: c}
	now := time.Now()
	var reqs []gateway.ProbeRequest
	if !all {
		var failed []*gateway.Probe
		for _, id := range ids {
			d, err := c.GetDataSource(ctx, id)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return nil, nil, err
				}
				failed = append(failed, &gateway.Probe{ID: id, Word: "?", Steps: []gateway.Step{{Name: "read", Result: gateway.Fail,
					Verdict: "could not read the data source: " + safetext.Line(err.Error())}}})
				continue
			}
			reqs = append(reqs, gateway.ProbeRequestFor(ctx, d, keys, now))
		}
		return reqs, failed, nil
	}
	items, err := c.ListDataSources(ctx)
	if err != nil {
		return nil, nil, err
	}
	for i := range items {
		d := &items[i]
		if ok, why := gateway.Probeable(d, now); !ok {
			if d.SchemaID == gateway.SchemaVoiceVirtualAgent {
				fmt.Fprintf(a.stderr, "byova: not probed: %s: %s\n", safetext.Line(d.ID), safetext.Line(why))
			}
			continue
		}
		reqs = append(reqs, gateway.ProbeRequestFor(ctx, d, keys, now))
	}
	if len(reqs) == 0 {
		fmt.Fprintln(a.stderr, "No active Voice Virtual Agent data sources to probe: register one with `byova datasources create --schema "+gateway.SchemaVoiceVirtualAgent+" ...`.")
	}
	return reqs, nil, nil
}

// runProbes probes reqs, prints them after the rows that failed already, and exits 4 when any
// step of any row failed.
func (a *app) runProbes(ctx context.Context, failed []*gateway.Probe, reqs []gateway.ProbeRequest, o gateway.Options, asJSON bool) error {
	results := append(failed, gateway.RunAll(ctx, reqs, o, probeWorkers, nil)...)
	if asJSON {
		if err := printJSONList(a.stdout, results); err != nil {
			return err
		}
	} else {
		a.printProbes(a.stdout, results)
	}
	bad := 0
	for _, p := range results {
		if p.Failed() != nil {
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(a.stderr, "%d of %d endpoints failed a step\n", bad, len(results))
		return &partialError{failed: bad, total: len(results)}
	}
	return nil
}

// stepGlyph is the glyph and word of a result.
func stepGlyph(result string) string {
	switch result {
	case gateway.OK:
		return "✓"
	case gateway.Warn:
		return "!"
	case gateway.Skip:
		return "-"
	}
	return "✗"
}

// printProbes prints one block per data source: the row, then a line per step.
func (a *app) printProbes(w io.Writer, results []*gateway.Probe) {
	for i, p := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		head := "✓ up"
		if f := p.Failed(); f != nil {
			head = "✗ " + p.Word
		}
		id := p.ID
		if id == "" {
			id = "(url)"
		}
		fmt.Fprintf(w, "%s  %s  %s\n", a.glyphs(head), safetext.Line(id), safetext.Line(p.URL))
		t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), ascii: a.ascii()}
		for _, s := range p.Steps {
			ms := "-"
			if s.Result != gateway.Skip {
				ms = fmt.Sprintf("%d ms", s.Duration.Milliseconds())
			}
			t.row("  "+stepGlyph(s.Result)+" "+s.Name, ms, s.Verdict)
			if s.Result == gateway.Fail {
				for _, c := range s.Checks {
					if c.Result == gateway.Fail {
						t.row("      ✗ "+c.Name, "", c.Detail)
					}
				}
			}
		}
		_ = t.flush()
	}
}
