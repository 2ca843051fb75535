package datasources

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// cellWidth agrees with ansi.StringWidth on ASCII, wide, combining and escape-bearing text
// (its ASCII shortcut must not undercount what a column is sized for).
func TestCellWidthAgrees(t *testing.T) {
	for _, v := range []string{"", "BankingVA", "bulk.va.example.com/tenant-00001/grpc", "日本語の声", "cafe\u0301", "a\tb", "x\x1b[31my", "emoji 🙂", "\x7f"} {
		if got, want := cellWidth(v), ansi.StringWidth(v); got != want {
			t.Errorf("cellWidth(%q) = %d, want %d", v, got, want)
		}
	}
}
