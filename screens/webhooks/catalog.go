package webhooks

import "slices"

// resourceEvents is what the create form offers: the serviceApp lifecycle first (what a BYOVA
// integration subscribes to), then data sources, then the rest of Webex's resources in the
// order people reach for them. Each resource lists the events Webex sends for it; "all" is
// offered where Webex supports it.
var resourceEvents = []struct {
	resource string
	events   []string
	about    string
}{
	{"serviceApp", []string{"authorized", "deauthorized"}, "an org admin authorizes or removes the Service App"},
	{"dataSources", []string{"created", "updated", "deleted", "statusChanged"}, "data source registrations change"},
	{"messages", []string{"created", "updated", "deleted", "all"}, ""},
	{"rooms", []string{"created", "updated", "migrated", "all"}, ""},
	{"memberships", []string{"created", "updated", "deleted", "all"}, ""},
	{"attachmentActions", []string{"created"}, ""},
	{"meetings", []string{"created", "updated", "deleted", "started", "ended", "all"}, ""},
	{"meetingParticipants", []string{"joined", "left", "all"}, ""},
	{"meetingTranscripts", []string{"created"}, ""},
	{"recordings", []string{"created", "updated", "deleted"}, ""},
	{"convergedRecordings", []string{"created", "updated", "deleted"}, ""},
	{"telephony_calls", []string{"created", "updated", "deleted"}, ""},
	{"telephony_conference", []string{"created", "updated", "deleted"}, ""},
	{"telephony_mwi", []string{"updated"}, ""},
	{"uc_counters", []string{"updated"}, ""},
	{"adminBatchJobs", []string{"statusChanged"}, ""},
}

// eventsFor lists the events offered for resource (nil for one byova does not know).
func eventsFor(resource string) []string {
	for _, re := range resourceEvents {
		if re.resource == resource {
			return re.events
		}
	}
	return nil
}

func knownEvent(resource, event string) bool { return slices.Contains(eventsFor(resource), event) }
