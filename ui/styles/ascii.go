package styles

import "strings"

// ASCIIWanted says whether the terminal can only be trusted with ASCII: the locale (the first
// set of LC_ALL, LC_CTYPE, LANG) names a charset other than UTF-8, or TERM is a console or
// terminal type without Unicode (vt100 and its kin, linux, dumb). An unset locale is taken as
// UTF-8: most terminals that leave it unset (containers, some SSH setups) draw UTF-8 fine,
// and a person can still set LANG=C to ask for ASCII.
func ASCIIWanted(getenv func(string) string) bool {
	switch term := strings.ToLower(strings.TrimSpace(getenv("TERM"))); {
	case term == "dumb", term == "linux", strings.HasPrefix(term, "linux-"),
		strings.HasPrefix(term, "vt1"), strings.HasPrefix(term, "vt2"):
		return true
	}
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		l := strings.ToLower(v)
		return !strings.Contains(l, "utf-8") && !strings.Contains(l, "utf8")
	}
	return false
}

// ToASCII replaces the symbols byova and its widgets draw (status glyphs, the cursor, the
// ellipsis, arrows, box drawing, spinner dots) with one ASCII character each, so every line
// keeps its width and the layout holds. Other text is left alone.
func ToASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Map(asciiRune, s)
		}
	}
	return s
}

func asciiRune(r rune) rune {
	switch r {
	case '✓', '✔':
		return '+'
	case '✗', '✘', '×':
		return 'x'
	case '▸', '▶', '›', '→', '≥':
		return '>'
	case '◂', '◀', '‹', '←', '≤':
		return '<'
	case '↑':
		return '^'
	case '↓':
		return 'v'
	case '…':
		return '~'
	case '·':
		return '.'
	case '•', '●', '○', '◆', '◇':
		return '*'
	case '—', '–', '‐', '‑':
		return '-'
	case '⏎':
		return '$'
	case '│', '┃', '║', '╎', '╏':
		return '|'
	case '─', '━', '═', '╌', '╍':
		return '-'
	}
	switch {
	case r >= 0x2500 && r <= 0x257F: // the rest of box drawing: corners, tees, crosses
		return '+'
	case r >= 0x2580 && r <= 0x259F: // block elements (progress bars, scroll bars)
		return '#'
	case r >= 0x2800 && r <= 0x28FF: // braille (spinner frames)
		return '*'
	}
	return r
}

// Glyphs is how the styles draw s: as is, or with ToASCII when the terminal wants ASCII.
func (s *Styles) Glyphs(v string) string {
	if s != nil && s.ASCII {
		return ToASCII(v)
	}
	return v
}
