package tui

import (
	"fmt"

	"github.com/byova/byova/config"
	"github.com/byova/byova/ui/common"
)

// KeyMap is the UI's key map as the root hands it out: `byova serve` takes it as a value from
// Keys and passes it back in Options, without reaching into the widgets below the screens.
type KeyMap = common.KeyMap

// NoticeMsg and ErrorMsg are what a host (`byova serve`) sends a running UI: a footer notice, or
// an error banner.
type (
	NoticeMsg = common.NoticeMsg
	ErrorMsg  = common.ErrorMsg
)

// Keys is the keymap with config.toml's [keys] applied (f may be nil: the defaults). A bad
// [keys] is an error that names the file and line, before the UI takes the terminal.
func Keys(f *config.File, path string) (*KeyMap, error) {
	k := common.DefaultKeyMap()
	if f == nil {
		return k, nil
	}
	var rs []common.Rebinding
	for _, b := range f.KeyBindings() {
		rs = append(rs, common.Rebinding{Action: b.Action, Keys: b.Keys, Where: b.Where(path)})
	}
	if err := k.Rebind(rs); err != nil {
		return nil, fmt.Errorf("%w; fix [keys] or remove the line to keep the default", err)
	}
	return k, nil
}
