package uitest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
)

// echo is a screen that shows the last key it got and can be told to capture keys.
type echo struct {
	last      string
	capturing bool
}

func (e *echo) Init() tea.Cmd { return nil }
func (e *echo) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		e.last = k.String()
	}
	return e, nil
}
func (e *echo) View() string          { return "last " + e.last }
func (e *echo) SetSize(int, int)      {}
func (e *echo) KeyMap() []key.Binding { return nil }
func (e *echo) Title() string         { return "echo" }
func (e *echo) Capturing() bool       { return e.capturing }

func TestHostBannerAndKeys(t *testing.T) {
	c := common.New(context.Background(), nil, styles.New(true), nil, Clock)
	scr := &echo{}
	h := &Host{C: c, Screen: scr}
	h.Update(tea.WindowSizeMsg{Width: 40, Height: 6})
	h.Update(common.ErrorMsg{Op: "loading", Err: errors.New("boom")})
	if !strings.HasPrefix(h.Banner, "✗ loading failed: ") {
		t.Fatalf("banner %q", h.Banner)
	}
	if _, cmd := h.Update(Key("esc")); cmd != nil || h.Banner != "" || scr.last != "" {
		t.Fatalf("esc clears the banner and stops there (banner %q, screen got %q)", h.Banner, scr.last)
	}
	scr.capturing = true
	if _, cmd := h.Update(Key("q")); cmd != nil || scr.last != "q" {
		t.Fatal("q reaches a capturing screen")
	}
	scr.capturing = false
	if _, cmd := h.Update(Key("q")); cmd == nil {
		t.Fatal("q quits when the screen is not capturing")
	}
	h.Update(common.NoticeMsg{Text: "copied"})
	lines := strings.Split(strings.TrimSuffix(h.View().Content, "\n"), "\n")
	if len(lines) != 5 || lines[1] != "last q" || lines[4] != "• copied" {
		t.Fatalf("view %q", lines)
	}
}

func TestKeyNames(t *testing.T) {
	for name, want := range map[string]string{"home": "home", "end": "end", "ctrl+r": "ctrl+r", "j": "j", "shift+tab": "shift+tab"} {
		if got := Key(name).String(); got != want {
			t.Errorf("Key(%q) = %q", name, got)
		}
	}
}
