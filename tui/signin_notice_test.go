package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// Issue 11, bug 5: the login wizard's notice goes after a few seconds and never hides its
// key hints; the hints are cut with an ellipsis, not mid-word.
func TestLoginNoticeExpiresAndKeepsTheKeys(t *testing.T) {
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	m := &loginModel{c: c, w: auth.NewWizard(c, signin.Env{}, signin.MethodIntegration)}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	view := func() string { return ansi.Strip(m.View().Content) }
	lastLine := func() string { v := view(); return v[strings.LastIndex(v, "\n")+1:] }
	keys := lastLine()
	m.Update(common.NoticeMsg{Text: "sent the sign-in address to the clipboard (OSC 52) and a long tail to fill the line"})
	if !strings.Contains(view(), "sent the sign-in address") {
		t.Fatalf("the notice shows:\n%s", view())
	}
	if lastLine() != keys {
		t.Fatalf("the notice must not cover the keys: %q, want %q", lastLine(), keys)
	}
	m.Update(common.TickMsg{Time: fixture.Now.Add(time.Second)})
	if !strings.Contains(view(), "sent the sign-in address") {
		t.Fatal("the notice stays for a few seconds")
	}
	m.Update(common.TickMsg{Time: fixture.Now.Add(4 * time.Second)})
	if strings.Contains(view(), "sent the sign-in address") {
		t.Fatalf("the notice must go:\n%s", view())
	}
	m.Update(tea.WindowSizeMsg{Width: 20, Height: 24})
	if l := lastLine(); ansi.StringWidth(l) > 20 || !strings.HasSuffix(l, "…") {
		t.Fatalf("narrow keys are cut with an ellipsis: %q", l)
	}
}
