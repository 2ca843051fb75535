package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Audit results.
const (
	AuditOK    = "ok"
	AuditError = "error"
)

// AuditEntry is one line of the audit log: a write byova sent to Webex.
//
// It must never hold a secret: callers pass ids, operation names and Webex's error text, never
// tokens, client secrets or request bodies. Nothing here filters for them.
type AuditEntry struct {
	Time       time.Time `json:"time"` // set to now when zero; always written in UTC
	Profile    string    `json:"profile"`
	Org        string    `json:"org"`
	Operation  string    `json:"operation"` // e.g. "datasources.update"
	ID         string    `json:"id"`
	Result     string    `json:"result"` // AuditOK or AuditError; derived from Error when empty
	TrackingID string    `json:"trackingId"`
	Error      string    `json:"error,omitempty"`
	// Actor says who asked for the write when it was not the person at the terminal: a user of
	// `byova serve`'s SSH console (name and key fingerprint) or the token keeper.
	Actor    string `json:"actor,omitempty"`
	ActorKey string `json:"actorKey,omitempty"`
}

// AppendAudit adds e to the audit log at path as one JSON line. The file is opened with
// O_APPEND and the line goes out in a single write, so lines from concurrent byova processes
// do not interleave.
func AppendAudit(path string, e AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	if e.Result == "" {
		e.Result = AuditOK
		if e.Error != "" {
			e.Result = AuditError
		}
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	f, err := OpenLog(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		_ = f.Close()
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	return nil
}

// OpenLog opens a log file (the audit log or the --debug log) for appending, creating its
// folder (0700) and the file (0600) as needed, and narrowing an existing file's mode to 0600.
func OpenLog(path string) (*os.File, error) {
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, fileMode)
	if err != nil {
		return nil, fmt.Errorf("open log %s: %w", path, err)
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&^fileMode != 0 {
		if err := f.Chmod(fileMode); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("open log %s: set mode 0600: %w", path, err)
		}
	}
	return f, nil
}
