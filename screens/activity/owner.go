package activity

import "github.com/byova/byova/ui/common"

// Owner is this screen's name on the requests it begins: the root routes their answers back
// here by it.
const Owner common.Owner = "activity"
