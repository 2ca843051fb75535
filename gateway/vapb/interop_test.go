package vapb_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/byova/byova/gateway/vapb"
)

const pkg = "com.cisco.wcc.ccai.media.v1."

// field is one row of the spec's field tables: what the wire needs to agree on.
type field struct {
	msg, name string
	num       int
	typ       string // as the spec writes it: string, bool, int32, bytes, a message or enum name, map<string,string>
	label     string // "", "repeated", "map", "oneof NAME"
}

// transcribed is the spec's §3 (voice-virtual-agent.md), field by field, including the
// messages it describes in prose rather than in a table. The test also parses the spec itself
// when it is beside the repository, so a change on either side is caught.
var transcribed = []field{
	{"VoiceVARequest", "conversation_id", 1, "string", ""},
	{"VoiceVARequest", "customer_org_id", 2, "string", ""},
	{"VoiceVARequest", "virtual_agent_id", 3, "string", ""},
	{"VoiceVARequest", "allow_partial_responses", 4, "bool", ""},
	{"VoiceVARequest", "vendor_specific_config", 5, "string", ""},
	{"VoiceVARequest", "audio_input", 6, "VoiceInput", "oneof voice_va_input_type"},
	{"VoiceVARequest", "dtmf_input", 7, "DTMFInputs", "oneof voice_va_input_type"},
	{"VoiceVARequest", "event_input", 8, "EventInput", "oneof voice_va_input_type"},
	{"VoiceVARequest", "additional_info", 9, "map<string,string>", "map"},
	{"VoiceInput", "caller_audio", 1, "bytes", ""},
	{"VoiceInput", "encoding", 2, "VoiceInput.VoiceEncoding", ""},
	{"VoiceInput", "sample_rate_hertz", 3, "int32", ""},
	{"VoiceInput", "audio_timestamp", 4, "google.protobuf.Timestamp", ""},
	{"VoiceInput", "language_code", 5, "string", ""},
	{"VoiceInput", "is_single_utterance", 6, "bool", ""},
	{"VoiceVAResponse", "prompts", 1, "Prompt", "repeated"},
	{"VoiceVAResponse", "output_events", 2, "OutputEvent", "repeated"},
	{"VoiceVAResponse", "input_sensitive", 3, "bool", ""},
	{"VoiceVAResponse", "input_mode", 4, "VoiceVAInputMode", ""},
	{"VoiceVAResponse", "input_handling_config", 5, "InputHandlingConfig", ""},
	{"VoiceVAResponse", "session_transcript", 6, "TextContent", ""},
	{"VoiceVAResponse", "session_summary", 7, "TextContent", ""},
	{"VoiceVAResponse", "response_type", 8, "VoiceVAResponse.ResponseType", ""},
	{"Prompt", "text", 1, "string", ""},
	{"Prompt", "audio_uri", 2, "string", ""},
	{"Prompt", "audio_content", 3, "bytes", ""},
	{"Prompt", "is_barge_in_enabled", 4, "bool", ""},
	{"TextContent", "text", 1, "string", "oneof input_content"},
	{"TextContent", "ssml", 2, "string", "oneof input_content"},
	{"TextContent", "language_code", 3, "string", ""},
	{"InputSpeechTimers", "max_speech_timeout_msec", 1, "int32", ""},
	{"InputSpeechTimers", "complete_timeout_msec", 2, "int32", ""},
	{"InputSpeechTimers", "incomplete_timeout_msec", 3, "int32", ""},
	{"InputSpeechTimers", "no_input_timeout_msec", 4, "int32", ""},
	{"InputHandlingConfig", "dtmf_config", 1, "DTMFInputConfig", ""},
	{"InputHandlingConfig", "speech_timers", 2, "InputSpeechTimers", ""},
	{"DTMFInputConfig", "inter_digit_timeout_msec", 1, "int32", ""},
	{"DTMFInputConfig", "termchar", 2, "DTMFDigits", ""},
	{"DTMFInputConfig", "dtmf_input_length", 3, "int32", ""},
	{"DTMFInputs", "dtmf_events", 1, "DTMFDigits", "repeated"},
	{"ListVARequest", "customer_org_id", 1, "string", ""},
	{"ListVARequest", "is_default_virtual_agent_enabled", 2, "bool", ""},
	{"VirtualAgentInfo", "virtual_agent_id", 1, "string", ""},
	{"VirtualAgentInfo", "virtual_agent_name", 2, "string", ""},
	{"VirtualAgentInfo", "is_default", 3, "bool", ""},
	{"VirtualAgentInfo", "attributes", 4, "map<string,string>", "map"},
	{"ListVAResponse", "virtual_agents", 1, "VirtualAgentInfo", "repeated"},
	{"OutputEvent", "event_type", 1, "OutputEvent.EventType", ""},
	{"OutputEvent", "name", 2, "string", ""},
	{"OutputEvent", "metadata", 3, "google.protobuf.Struct", ""},
	{"EventInput", "event_type", 1, "EventInput.EventType", ""},
	{"EventInput", "name", 2, "string", ""},
	{"EventInput", "parameters", 3, "google.protobuf.Struct", ""},
}

var transcribedEnums = map[string]map[string]int{
	"VoiceInput.VoiceEncoding":     {"UNSPECIFIED_FORMAT": 0, "LINEAR16_FORMAT": 1, "MULAW_FORMAT": 2, "ALAW_FORMAT": 3},
	"VoiceVAResponse.ResponseType": {"FINAL": 0, "PARTIAL": 1, "CHUNK": 2},
	"VoiceVAInputMode":             {"INPUT_VOICE_MODE_UNSPECIFIED": 0, "INPUT_VOICE": 1, "INPUT_EVENT_DTMF": 2, "INPUT_VOICE_DTMF": 3},
	"OutputEvent.EventType": {"UNSPECIFIED_EVENT": 0, "SESSION_END": 1, "TRANSFER_TO_AGENT": 2, "CUSTOM_EVENT": 3,
		"START_OF_INPUT": 4, "END_OF_INPUT": 5, "NO_MATCH": 6, "NO_INPUT": 7},
	"EventInput.EventType": {"UNSPECIFIED_INPUT": 0, "SESSION_START": 1, "SESSION_END": 2, "NO_INPUT": 3, "START_OF_DTMF": 4, "CUSTOM_EVENT": 5},
	"DTMFDigits": {"DTMF_EVENT_UNSPECIFIED": 0, "DTMF_DIGIT_ONE": 1, "DTMF_DIGIT_TWO": 2, "DTMF_DIGIT_THREE": 3,
		"DTMF_DIGIT_FOUR": 4, "DTMF_DIGIT_FIVE": 5, "DTMF_DIGIT_SIX": 6, "DTMF_DIGIT_SEVEN": 7, "DTMF_DIGIT_EIGHT": 8,
		"DTMF_DIGIT_NINE": 9, "DTMF_DIGIT_ZERO": 10, "DTMF_DIGIT_A": 11, "DTMF_DIGIT_B": 12, "DTMF_DIGIT_C": 13,
		"DTMF_DIGIT_D": 14, "DTMF_DIGIT_STAR": 15, "DTMF_DIGIT_POUND": 16},
}

func TestDescriptorsMatchTranscribedSpec(t *testing.T) {
	checkFields(t, transcribed)
	checkEnums(t, transcribedEnums, true)
	checkService(t)
}

// TestDescriptorsMatchSpecFile parses the field and enum tables of the spec as it stands, so
// an edit to the spec that our .proto files do not follow fails here.
func TestDescriptorsMatchSpecFile(t *testing.T) {
	path := specPath(t)
	fields, enums := parseSpec(t, path)
	if len(fields) < 30 || len(enums) < 5 {
		t.Fatalf("%s: parsed only %d field rows and %d enum tables; has the table layout changed?", path, len(fields), len(enums))
	}
	checkFields(t, fields)
	checkEnums(t, enums, false)
}

// specPath finds shared/spec beside the repository (../shared in a worktree and in CI).
func specPath(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "spec", "voice-virtual-agent.md")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatalf("shared/spec/voice-virtual-agent.md not found above %s: the spec travels beside the repository", wd)
	return ""
}

var (
	heading = regexp.MustCompile("^\\*\\*`([A-Za-z0-9_.]+)`\\*\\*")
	tick    = regexp.MustCompile("`([^`]*)`")
)

func parseSpec(t *testing.T, path string) ([]field, map[string]map[string]int) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fields []field
	enums := map[string]map[string]int{}
	cur, kind := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := heading.FindStringSubmatch(line); m != nil {
			cur, kind = m[1], ""
			continue
		}
		if !strings.HasPrefix(line, "|") {
			if line != "" {
				kind = ""
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case cur == "":
		case len(cells) >= 3 && cells[0] == "Field" && cells[1] == "#":
			kind = "field"
		case len(cells) >= 2 && cells[0] == "Value" && cells[1] == "#":
			kind = "enum"
		case strings.HasPrefix(cells[0], "---"):
		case kind == "field" && len(cells) >= 3:
			n, err := strconv.Atoi(cells[1])
			if err != nil {
				continue
			}
			label := ""
			if len(cells) >= 5 && (cells[3] == "repeated" || cells[3] == "map" || strings.HasPrefix(cells[3], "oneof")) {
				label = cells[3]
				if m := tick.FindStringSubmatch(label); m != nil {
					label = "oneof " + m[1]
				}
			}
			fields = append(fields, field{cur, cells[0], n, strings.ReplaceAll(cells[2], " ", ""), label})
		case kind == "enum" && len(cells) >= 2:
			n, err := strconv.Atoi(strings.Trim(cells[1], "*"))
			if err != nil {
				continue // e.g. "DTMF_DIGIT_ONE … DTMF_DIGIT_NINE | 1 … 9": the transcribed table has them
			}
			if enums[cur] == nil {
				enums[cur] = map[string]int{}
			}
			enums[cur][cells[0]] = n
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return fields, enums
}

func checkFields(t *testing.T, fields []field) {
	t.Helper()
	for _, want := range fields {
		md := findMessage(t, want.msg)
		if md == nil {
			continue
		}
		fd := md.Fields().ByName(protoreflect.Name(want.name))
		if fd == nil {
			t.Errorf("%s: no field %s", want.msg, want.name)
			continue
		}
		if int(fd.Number()) != want.num {
			t.Errorf("%s.%s: number %d, spec says %d", want.msg, want.name, fd.Number(), want.num)
		}
		if got := typeName(fd); got != want.typ {
			t.Errorf("%s.%s: type %s, spec says %s", want.msg, want.name, got, want.typ)
		}
		if got := labelOf(fd); got != want.label {
			t.Errorf("%s.%s: label %q, spec says %q", want.msg, want.name, got, want.label)
		}
	}
	// Every field we declare is in the spec: a field added on our side alone is drift too.
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f.msg+"."+f.name] = true
	}
	msgs := map[string]bool{}
	for _, f := range fields {
		msgs[f.msg] = true
	}
	for m := range msgs {
		md := findMessage(t, m)
		if md == nil {
			continue
		}
		for i := range md.Fields().Len() {
			if name := string(md.Fields().Get(i).Name()); !seen[m+"."+name] {
				t.Errorf("%s.%s is in our .proto but not in the spec", m, name)
			}
		}
	}
}

func checkEnums(t *testing.T, enums map[string]map[string]int, complete bool) {
	t.Helper()
	for name, values := range enums {
		d, err := protoregistry.GlobalTypes.FindEnumByName(protoreflect.FullName(pkg + name))
		if err != nil {
			t.Errorf("enum %s: %v", name, err)
			continue
		}
		ed := d.Descriptor()
		for v, n := range values {
			vd := ed.Values().ByName(protoreflect.Name(v))
			if vd == nil {
				t.Errorf("%s: no value %s", name, v)
				continue
			}
			if int(vd.Number()) != n {
				t.Errorf("%s.%s = %d, spec says %d", name, v, vd.Number(), n)
			}
		}
		if complete && ed.Values().Len() != len(values) {
			t.Errorf("%s has %d values, the spec %d", name, ed.Values().Len(), len(values))
		}
	}
}

func checkService(t *testing.T) {
	t.Helper()
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(pkg + "VoiceVirtualAgent")
	if err != nil {
		t.Fatal(err)
	}
	sd := d.(protoreflect.ServiceDescriptor)
	for _, m := range []struct {
		name, in, out string
		cs, ss        bool
	}{
		{"ProcessCallerInput", "VoiceVARequest", "VoiceVAResponse", true, true},
		{"ListVirtualAgents", "ListVARequest", "ListVAResponse", false, false},
	} {
		md := sd.Methods().ByName(protoreflect.Name(m.name))
		if md == nil {
			t.Errorf("no method %s", m.name)
			continue
		}
		if string(md.Input().FullName()) != pkg+m.in || string(md.Output().FullName()) != pkg+m.out ||
			md.IsStreamingClient() != m.cs || md.IsStreamingServer() != m.ss {
			t.Errorf("%s: %s → %s (streams %v/%v), spec: %s → %s (%v/%v)", m.name, md.Input().FullName(),
				md.Output().FullName(), md.IsStreamingClient(), md.IsStreamingServer(), m.in, m.out, m.cs, m.ss)
		}
	}
	if sd.Methods().Len() != 2 {
		t.Errorf("VoiceVirtualAgent has %d methods, the spec 2", sd.Methods().Len())
	}
	if got := string(sd.ParentFile().Path()); got != "voicevirtualagent.proto" {
		t.Errorf("service file %q: keep the official name voicevirtualagent.proto", got)
	}
}

func findMessage(t *testing.T, name string) protoreflect.MessageDescriptor {
	t.Helper()
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(pkg + name))
	if err != nil {
		t.Errorf("message %s: %v", name, err)
		return nil
	}
	return mt.Descriptor()
}

func typeName(fd protoreflect.FieldDescriptor) string {
	if fd.IsMap() {
		return "map<" + typeName(fd.MapKey()) + "," + typeName(fd.MapValue()) + ">"
	}
	var full string
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		full = string(fd.Message().FullName())
	case protoreflect.EnumKind:
		full = string(fd.Enum().FullName())
	default:
		return fd.Kind().String()
	}
	return strings.TrimPrefix(full, pkg)
}

func labelOf(fd protoreflect.FieldDescriptor) string {
	switch {
	case fd.IsMap():
		return "map"
	case fd.IsList():
		return "repeated"
	case fd.ContainingOneof() != nil && !fd.ContainingOneof().IsSynthetic():
		return "oneof " + string(fd.ContainingOneof().Name())
	}
	return ""
}
