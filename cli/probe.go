package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/safetext"
)

// envCAFile adds a CA to the roots probe and call trust (`fake serve --agent` prints it).
const envCAFile = "BYOVA_CA_FILE"

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
	ca := f.caFile
	if ca == "" {
		ca = a.getenv(envCAFile)
	}
	if ca != "" {
		pool, err := gateway.LoadCAFile(ca)
		if err != nil {
			return o, usagef("--ca-file: %v", err)
		}
		o.Roots = pool
	}
	if f.plaintext {
		fmt.Fprintln(a.stderr, "byova: warning: --plaintext: no TLS, which Webex never does; use it only inside the gateway's network")
	}
	return o, nil
}

// keysFunc is the key set that verifies tokens, for the claims step (as `ds verify` finds it).
// Without one the signature check says it was not made.
func (a *app) keysFunc(ctx context.Context, c *api.Client, jwksURL, region string) gateway.KeysFunc {
	settings, _, err := a.settings()
	if err != nil {
		return nil
	}
	at, err := api.ResolveJWKSURL(jwksURL, region, settings.JWKSURL, settings.BaseURL)
	if err != nil {
		return nil
	}
	ks := api.NewKeySet(at)
	return func(kid string) (*jose.JSONWebKeySet, error) { return ks.KeysFor(ctx, c, kid) }
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
			o, err := a.endpointOptions(&ef)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			var reqs []gateway.ProbeRequest
			var failed []*gateway.Probe // rows that failed before any probe (could not read)
			if rawURL != "" {
				if _, err := gateway.ParseTarget(rawURL, ef.plaintext); err != nil {
					return usagef("--url: %v", err)
				}
				reqs = append(reqs, gateway.ProbeRequest{URL: rawURL})
			} else {
				c, _, err := a.orgClient()
				if err != nil {
					return err
				}
				keys := a.keysFunc(ctx, c, jwksURL, region)
				now := time.Now()
				if all {
					items, err := c.ListDataSources(ctx)
					if err != nil {
						return err
					}
					for i := range items {
						d := &items[i]
						if ok, why := gateway.Probeable(d, now); !ok {
							if d.SchemaID == gateway.SchemaVoiceVirtualAgent {
								fmt.Fprintf(a.stderr, "byova: not probed: %s: %s\n", safetext.Line(d.ID), safetext.Line(why))
							}
							continue
						}
						reqs = append(reqs, gateway.RequestFor(d, keys, now))
					}
					if len(reqs) == 0 {
						fmt.Fprintln(a.stderr, "No active Voice Virtual Agent data sources to probe: register one with `byova datasources create --schema "+gateway.SchemaVoiceVirtualAgent+" ...`.")
					}
				} else {
					for _, id := range ids {
						d, err := c.GetDataSource(ctx, id)
						if err != nil {
							if errors.Is(err, context.Canceled) {
								return err
							}
							failed = append(failed, &gateway.Probe{ID: id, Word: "?", Steps: []gateway.Step{{Name: "read", Result: gateway.Fail,
								Verdict: "could not read the data source: " + safetext.Line(err.Error())}}})
							continue
						}
						reqs = append(reqs, gateway.RequestFor(d, keys, now))
					}
				}
			}
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
