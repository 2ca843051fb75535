package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A long reason is wrapped under its row at word boundaries, at 80 and 60 columns: no line is
// wider than the terminal, and the sentence reads whole when the note lines are joined.
func TestPrintVerifyFitsTheWidth(t *testing.T) {
	reason := "a gateway would refuse it: url: the token's com.cisco.datasource.url https://gw.example.com:443/ is not byte-equal to the registered url https://gw.example.com/"
	results := []verifyResult{
		{ID: "f9810fb7-f1b6-464c-9741-ac480d438ae8", Audience: "ClaimsAssistant", KeyID: "1939cce6-bca6-4d8a-9492-6ee1645f4bf2", Result: "fail", Reason: reason},
		{ID: "ef39cde9-9639-4770-984e-7f81d381ae37", Audience: "BankingVA", KeyID: "1939cce6-bca6-4d8a-9492-6ee1645f4bf2", Result: "ok"},
	}
	for _, cols := range []string{"80", "60"} {
		t.Run(cols, func(t *testing.T) {
			var out bytes.Buffer
			a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard,
				getenv: func(k string) string {
					if k == "COLUMNS" {
						return cols
					}
					return ""
				}}
			if err := a.printVerify(results); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			var notes []string
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > a.width() {
					t.Errorf("line of %d columns at %s: %q", w, cols, l)
				}
				if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "  audience ") {
					notes = append(notes, strings.TrimPrefix(l, "  "))
				}
			}
			if got := strings.Join(notes, " "); got != reason {
				t.Errorf("the reason under the row reads\n%q\nwant\n%q\n%s", got, reason, out.String())
			}
			if strings.Contains(out.String(), "1939cce6-bca6") || !strings.Contains(out.String(), "1939cce6…") {
				t.Errorf("the kid is not shortened to a prefix:\n%s", out.String())
			}
			if !strings.Contains(lines[1], "f9810fb7-f1b6-464c-9741-ac480d438ae8") || !strings.HasSuffix(lines[1], "✗ fail") {
				t.Errorf("the row lost its id or verdict: %q", lines[1])
			}
		})
	}
}
