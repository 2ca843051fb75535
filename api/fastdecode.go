package api

import (
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The list hot path decodes with json v2, one data source at a time. These UnmarshalJSONFrom
// methods read the same forms as the v1 UnmarshalJSON ones beside them, straight from the
// decoder: the v1 methods make v2 copy each value and scan it again through encoding/json.

func (f *flexString) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*f = ""
	switch dec.PeekKind() {
	case jsontext.KindString:
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		*f = flexString(tok.String())
		return nil
	case jsontext.KindBeginArray:
		val, err := dec.ReadValue()
		if err != nil {
			return err
		}
		var ss []string
		if jsonv2.Unmarshal(val, &ss) == nil && len(ss) > 0 {
			*f = flexString(ss[0])
		}
		return nil
	}
	return dec.SkipValue()
}

func (f *flexInt) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*f = 0
	var s string
	switch dec.PeekKind() {
	case jsontext.KindNumber:
		val, err := dec.ReadValue()
		if err != nil {
			return err
		}
		s = string(val)
	case jsontext.KindString:
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		s = strings.TrimSpace(tok.String())
	default:
		return dec.SkipValue()
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		*f = flexInt(n)
	}
	return nil
}

func (a *Audience) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case jsontext.KindString:
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		*a = Audience{tok.String()}
		return nil
	case jsontext.KindBeginArray:
		var ss []string
		if err := jsonv2.UnmarshalDecode(dec, &ss); err != nil {
			return err
		}
		*a = ss
		return nil
	}
	dec.SkipValue()
	return errAudience
}
