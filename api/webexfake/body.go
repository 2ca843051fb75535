package webexfake

import (
	"bytes"
	"encoding/json"
	"math"
	"mime"
	"net/http"
)

func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// jsonObject is a request body kept raw per field, so that type mistakes (a number sent as a
// string) get a precise 400 instead of silently becoming zero values.
type jsonObject map[string]json.RawMessage

// readJSONObject insists on a JSON object body sent as application/json.
func readJSONObject(r *http.Request, body []byte) (jsonObject, *apiError) {
	if mediaType(r) != "application/json" {
		return nil, newError(http.StatusUnsupportedMediaType, "",
			"Send the request body as application/json.")
	}
	var obj jsonObject
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, newError(http.StatusBadRequest, "The request body is not a valid JSON object.")
	}
	return obj, nil
}

func (o jsonObject) has(name string) bool {
	v, ok := o[name]
	return ok && string(v) != "null"
}

// str reads a string field; present is false when absent or null.
func (o jsonObject) str(name string) (v string, present bool, problem string) {
	if !o.has(name) {
		return "", false, ""
	}
	if err := json.Unmarshal(o[name], &v); err != nil {
		return "", true, name + " must be a string."
	}
	return v, true, ""
}

// integer reads a whole-number field ("60" as a string is refused, 60.0 is accepted).
func (o jsonObject) integer(name string) (v int, present bool, problem string) {
	if !o.has(name) {
		return 0, false, ""
	}
	var f float64
	if err := json.Unmarshal(o[name], &f); err != nil {
		return 0, true, name + " must be a number."
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, true, name + " must be a whole number."
	}
	return int(f), true, ""
}
