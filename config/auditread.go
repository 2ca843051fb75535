package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// AuditTail is how much of the end of the audit log ReadAudit reads: weeks of an on-call
// engineer's writes, without reading a log nobody rotated into memory.
const AuditTail = 4 << 20

// AuditLine is one line of the audit log as read back: the entry, or why it is not one.
type AuditLine struct {
	N     int // line number within what was read, from 1
	Entry AuditEntry
	Raw   string // the line itself when it is malformed (untrusted: sanitise before showing)
	Err   error  // why the line is not an entry
}

// ReadAudit reads the last max bytes of the audit log at path (the whole file when it is
// smaller), oldest first. A missing file is no lines. A line that is not an entry comes back
// with Err set, never a panic or a lost line; a line cut by the tail is dropped.
func ReadAudit(path string, max int64) (lines []AuditLine, truncated bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read the audit log %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false, fmt.Errorf("read the audit log %s: %w", path, err)
	}
	if off := fi.Size() - max; max > 0 && off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return nil, false, fmt.Errorf("read the audit log %s: %w", path, err)
		}
		truncated = true
	}
	data, err := io.ReadAll(io.LimitReader(f, max))
	if err != nil {
		return nil, false, fmt.Errorf("read the audit log %s: %w", path, err)
	}
	if truncated {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:] // the first line was cut by the tail
		}
	}
	n := 0
	for raw := range bytes.SplitSeq(data, []byte("\n")) {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		n++
		lines = append(lines, parseAuditLine(n, raw))
	}
	return lines, truncated, nil
}

func parseAuditLine(n int, raw []byte) AuditLine {
	l := AuditLine{N: n}
	var e AuditEntry
	switch err := json.Unmarshal(raw, &e); {
	case err != nil:
		l.Err = fmt.Errorf("not a JSON audit entry: %w", err)
	case e.Time.IsZero() || e.Operation == "":
		l.Err = errors.New("an entry without a time or an operation")
	default:
		l.Entry = e
		return l
	}
	l.Raw = string(raw)
	return l
}

// When is the entry's time, for sorting (zero for a malformed line).
func (l AuditLine) When() time.Time { return l.Entry.Time }
