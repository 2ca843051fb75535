package config

import (
	"path/filepath"

	"github.com/adrg/xdg"
)

const appName = "byova"

// The paths read xdg's variables on every call, so a test can set XDG_*_HOME with t.Setenv and
// call xdg.Reload(). Nothing is created here: folders are made (0700) when a file is written.

// ConfigFile is where the TOML profiles live: $XDG_CONFIG_HOME/byova/config.toml.
func ConfigFile() string { return filepath.Join(xdg.ConfigHome, appName, "config.toml") }

// TokenFile is the token store: $XDG_DATA_HOME/byova/tokens.json.
func TokenFile() string { return filepath.Join(xdg.DataHome, appName, "tokens.json") }

// AuditLogFile is the JSON-lines record of every write to Webex: $XDG_STATE_HOME/byova/audit.log.
func AuditLogFile() string { return filepath.Join(xdg.StateHome, appName, "audit.log") }

// DebugLogFile is where --debug writes: $XDG_STATE_HOME/byova/byova.log.
func DebugLogFile() string { return filepath.Join(xdg.StateHome, appName, "byova.log") }

// CacheDir holds disposable data such as the schema list: $XDG_CACHE_HOME/byova.
func CacheDir() string { return filepath.Join(xdg.CacheHome, appName) }
