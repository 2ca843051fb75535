package datasources

import "github.com/byova/byova/ui/common"

// Owner is this screen's name on the requests it begins: the root routes their answers back
// here by it.
const Owner common.Owner = "datasources"

// The screen's own request kinds besides common's load, detail and write: the newest of each
// is the one wanted (common.Judge).
const (
	kindSignature common.Kind = "signature" // the detail's token check
	kindVerify    common.Kind = "verify"    // :verify
	kindProbe     common.Kind = "probe"     // p and :probe
	kindCall      common.Kind = "call"      // c, the test call
)
