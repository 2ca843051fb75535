package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/go-jose/go-jose/v4"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/safetext"
)

// verifyResult is one data source's verdict, a row of the table and an item of --json.
type verifyResult struct {
	ID       string `json:"id"`
	Audience string `json:"audience,omitempty"`
	KeyID    string `json:"kid,omitempty"`
	Result   string `json:"result"` // "ok" or "fail"
	Reason   string `json:"reason,omitempty"`
	Expires  string `json:"tokenExpiryTime,omitempty"`
	// Checks are the gateway-side checks (spec §5) for a Voice Virtual Agent source, by name,
	// as `byova probe` reports them.
	Checks []gateway.Check `json:"gatewayChecks,omitempty"`
}

func (a *app) dsVerifyCmd() *cobra.Command {
	var all, asJSON bool
	var jwksURL, region string
	cmd := &cobra.Command{
		Use:   "verify (ID... | --all) [--jwks-url URL] [--region us|eu] [--json]",
		Short: "Check each data source's token: RS256 signature by kid, exp and iat, and claims that match the registration",
		Long: `Fetch Webex's key set and check each data source's jwsToken: the RS256 signature with the key
its kid names, that it has not expired and was not issued in the future, and that its aud, sub,
com.cisco.datasource.schema.uuid and com.cisco.datasource.url claims match the registration.
Exit 0 when every token holds, 4 when any fails.

The key set: --jwks-url, else --region (us, eu), else ` + config.EnvJWKSURL + ` or the profile's jwks_url,
else Webex's US set, or for a base URL that is not Webex's the same origin + ` + api.JWKSPath + `.`,
		Example: `  byova ds verify --all
  byova ds verify 0b7f6a0e-… --region eu --json`,
		RunE: func(cmd *cobra.Command, ids []string) error {
			if all == (len(ids) > 0) {
				return usagef("give data source IDs or --all, not both and not neither")
			}
			if err := checkIDs("data source", ids...); err != nil {
				return err
			}
			keysAt, err := a.keySetURL(jwksURL, region)
			if err != nil {
				return err
			}
			c, _, err := a.orgClient()
			if err != nil {
				return err
			}
			v := &verifier{client: c, keys: api.NewKeySet(keysAt), now: time.Now}
			if err := v.keys.Load(cmd.Context(), c); err != nil {
				return fmt.Errorf("%w (set --jwks-url or %s)", err, config.EnvJWKSURL)
			}
			results, err := v.run(cmd.Context(), ids, all)
			if err != nil {
				return err
			}
			if asJSON {
				if err := printJSONList(a.stdout, results); err != nil {
					return err
				}
			} else {
				if err := a.printVerify(results); err != nil {
					return err
				}
			}
			failed := 0
			for _, r := range results {
				if r.Result != "ok" {
					failed++
				}
			}
			if len(results) == 0 {
				fmt.Fprintln(a.stderr, "No data sources to verify: register one with `byova datasources create`.")
			}
			if failed > 0 {
				return &partialError{failed: failed, total: len(results)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&all, "all", false, "verify every data source of the org")
	fl.StringVar(&jwksURL, "jwks-url", "", "key set URL (default: from the base URL, see above)")
	fl.StringVar(&region, "region", "", "Webex key set of a region: us or eu")
	fl.BoolVar(&asJSON, "json", false, "print the results as one JSON array")
	return cmd
}

// keySetURL is where the key set that checks data source tokens is, for verify and probe:
// --jwks-url, else --region, else the profile's (see ds verify's help). Flags that name none
// are bad input: nothing is sent.
func (a *app) keySetURL(jwksURL, region string) (string, error) {
	if jwksURL != "" && region != "" {
		return "", usagef("give --jwks-url or --region, not both")
	}
	if region != "" && !slices.Contains(api.JWKSRegions(), region) {
		return "", usagef("--region %q: use us or eu", region)
	}
	settings, _, err := a.settings()
	if err != nil {
		return "", err
	}
	at, err := api.ResolveJWKSURL(jwksURL, region, settings.JWKSURL, settings.BaseURL)
	if err != nil {
		return "", usagef("%v; give --jwks-url", err)
	}
	return at, nil
}

type verifier struct {
	client *api.Client
	keys   *api.KeySet
	now    func() time.Time
}

// run verifies the given data sources (or all of them). A data source that cannot be read is
// a failed row, not the end of the run.
func (v *verifier) run(ctx context.Context, ids []string, all bool) ([]verifyResult, error) {
	var sources []*api.DataSource
	var results []verifyResult
	if all {
		items, err := v.client.ListDataSources(ctx)
		if err != nil {
			return nil, err
		}
		for i := range items {
			sources = append(sources, &items[i])
		}
	} else {
		for _, id := range ids {
			sources = append(sources, &api.DataSource{ID: id})
		}
	}
	for _, d := range sources {
		reg := d.Registered()
		// A list item may lack fields only the token then supplies; compare with what a GET sends.
		if d.JWSToken == "" || reg.Audience == "" || reg.Subject == "" || reg.URL == "" || reg.SchemaID == "" {
			full, err := v.client.GetDataSource(ctx, d.ID)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return nil, err
				}
				results = append(results, verifyResult{ID: d.ID, Result: "fail", Reason: "could not read it: " + err.Error()})
				continue
			}
			d = full
		}
		results = append(results, v.withGatewayChecks(ctx, d, resultOf(api.VerifyDataSource(ctx, v.client, v.keys, d, v.now()))))
	}
	return results, nil
}

func resultOf(v api.Verification) verifyResult {
	r := verifyResult{ID: v.ID, Audience: v.Audience, KeyID: v.KeyID, Result: "fail", Reason: v.Reason}
	if v.OK {
		r.Result = "ok"
	}
	if !v.Expires.IsZero() {
		r.Expires = v.Expires.UTC().Format(time.RFC3339)
	}
	return r
}

// withGatewayChecks adds the checks a Voice Virtual Agent gateway makes on the token (issuer
// allow-list, jti, the url claim byte-equal to the registered url, ...): a token Webex signed
// correctly can still be one the gateway refuses.
func (v *verifier) withGatewayChecks(ctx context.Context, d *api.DataSource, r verifyResult) verifyResult {
	if !strings.EqualFold(d.SchemaID, gateway.SchemaVoiceVirtualAgent) || d.JWSToken == "" {
		return r
	}
	keys := func(kid string) (*jose.JSONWebKeySet, error) { return v.keys.KeysFor(ctx, v.client, kid) }
	r.Checks = gateway.ClaimChecks(d.JWSToken, d.URL, keys, v.now())
	if f := gateway.Failed(r.Checks); f != nil && r.Result == "ok" {
		r.Result, r.Reason = "fail", "a gateway would refuse it: "+f.Name+": "+f.Detail
	}
	return r
}

// printVerify writes the results as a table that fits the terminal (see app.width): the key
// id shortened to a prefix (in full in --json and `ds get`), and each reason on its own
// lines under its row, wrapped at word boundaries, so no sentence is cut and no column wraps.
// When even that is too wide (about 72 columns), the audience and key id go under the row too.
func (a *app) printVerify(results []verifyResult) error {
	width := a.width()
	header := []string{"ID", "AUDIENCE", "KID", "RESULT"}
	rows := make([][]string, len(results))
	for i, r := range results {
		word := "✓ ok"
		if r.Result != "ok" {
			word = "✗ fail"
		}
		rows[i] = []string{visible(r.ID), orDash(visible(r.Audience)), orDash(shortKeyID(visible(r.KeyID))), word}
	}
	narrow := tableWidth(append([][]string{header}, rows...)) > width
	if narrow {
		header = []string{"ID", "RESULT"}
		for i, r := range rows {
			rows[i] = []string{r[0], r[3]}
		}
	}
	t := &paddedTable{w: a.stdout, glyphs: a.glyphs}
	t.add(header)
	for i, r := range results {
		t.add(rows[i])
		var under []string
		if narrow {
			under = append(under, "audience "+orDash(visible(r.Audience))+", kid "+orDash(shortKeyID(visible(r.KeyID))))
		}
		if r.Reason != "" {
			under = append(under, visible(r.Reason))
		}
		for _, u := range under {
			t.note(u, width)
		}
	}
	return t.flush()
}

// shortKeyID is a key id's first 8 characters and an ellipsis: enough to tell keys apart in a
// table (a rotation changes it), where the whole id would wrap the row.
func shortKeyID(kid string) string {
	if utf8.RuneCountInString(kid) <= 9 {
		return kid
	}
	return string([]rune(kid)[:8]) + "…"
}

// width is the number of columns human output may use: $COLUMNS when set (as shells export
// it, and as tests fix it), else the terminal's width, else 80.
func (a *app) width() int {
	if n, err := strconv.Atoi(strings.TrimSpace(a.getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	if f, ok := a.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// tableWidth is the width rows take with two spaces between columns.
func tableWidth(rows [][]string) int {
	widths := columnWidths(rows)
	total := 0
	for _, w := range widths {
		total += w + 2
	}
	return total - 2
}

func columnWidths(rows [][]string) []int {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(safetext.Line(c)))
		}
	}
	return widths
}

// paddedTable is a table whose rows may be followed by indented notes that do not break the
// alignment of the columns (text/tabwriter ends its column blocks at such a line).
type paddedTable struct {
	w      io.Writer
	glyphs func(string) string // the app's: ASCII symbols when the terminal wants them
	lines  []tableLine
}

type tableLine struct {
	cells []string // a row, or nil for a note
	note  string
}

func (t *paddedTable) add(cells []string) {
	t.lines = append(t.lines, tableLine{cells: cleanCells(cells, t.glyphs)})
}

// cleanCells are cells as a table shows them: each one line, nothing raw (safetext.Line), in
// the terminal's glyphs.
func cleanCells(cells []string, glyphs func(string) string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = glyphs(safetext.Line(c))
	}
	return out
}

// note adds text under the last row, indented two spaces and wrapped at width on word
// boundaries (a word longer than a line, an id, is broken where it must be).
func (t *paddedTable) note(text string, width int) {
	text = t.glyphs(safetext.Line(text))
	for _, l := range strings.Split(ansi.Wrap(text, max(width-2, 20), ""), "\n") {
		t.lines = append(t.lines, tableLine{note: "  " + strings.TrimRight(l, " ")})
	}
}

func (t *paddedTable) flush() error {
	var rows [][]string
	for _, l := range t.lines {
		if l.cells != nil {
			rows = append(rows, l.cells)
		}
	}
	widths := columnWidths(rows)
	var b strings.Builder
	for _, l := range t.lines {
		if l.cells == nil {
			b.WriteString(l.note)
			b.WriteByte('\n')
			continue
		}
		padRow(&b, l.cells, widths)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// padRow writes cells as one line, each padded to its width and two spaces, the last one not.
func padRow(b *strings.Builder, cells []string, widths []int) {
	for i, c := range cells {
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
		}
	}
	b.WriteByte('\n')
}
