package webexfake

import (
	"fmt"
	"strings"
	"time"
)

// The seeded world, the same for the same seed (and clock):
//
//   - a developer (owner of the PAT, the Integration, the Service App and the webhooks) in
//     their own developer org;
//   - a primary customer org that authorized the Service App, with 8 data sources (one
//     disabled, one whose token expired 6 h ago, one expiring in 25 min, the rest valid for
//     many hours) plus Options.ExtraDataSources generated ones;
//   - a second authorized customer org with 3 data sources, and an org that never authorized;
//   - 4 webhooks (serviceApp authorized + deauthorized to one target, a dataSources one and an
//     inactive messages one) plus Options.ExtraWebhooks generated ones;
//   - ready tokens: the PAT, an Integration pair, and Service App pairs for both customer orgs.

var (
	customerOrgNames = []string{"Acme Health", "Globex Bank", "Initech Insurance", "Umbrella Retail",
		"Hooli Travel", "Stark Logistics", "Wayne Utilities", "Soylent Foods"}
	firstNames      = []string{"Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Radia"}
	lastNames       = []string{"Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Perlman"}
	serviceAppNames = []string{"BYOVA Voice Gateway", "Virtual Agent Connector", "MedDoc BYOVA Bridge"}
	audiences       = []string{"BYOVAGateway", "MedDocVirtualAgent", "AcmeVoiceBot", "ClaimsAssistant",
		"RetailVA", "TravelDeskVA", "BankingVA", "BYODS", "NightShiftVA", "SurveyBot"}
	subjects      = []string{"callAudioData", "callAudioData", "mediaForking", "conversationEvents", "transcripts"}
	vaHosts       = []string{"va.example.com", "voice.example.com", "byova-gw.example.net", "agents.example.org"}
	disableReason = []string{
		"Gateway under maintenance until Monday 06:00 UTC.",
		"TLS certificate expired on the gateway; renewal in progress.",
		"Virtual agent retired; traffic moved to the EU gateway.",
	}
)

// dsTemplate fixes the shape of a seeded data source; names and ids come from the seed.
type dsTemplate struct {
	schemaID   string
	scheme     string // https or wss
	path       string
	lifetime   int
	issuedAgo  time.Duration // the token was minted this long ago
	createdAgo time.Duration
	disabled   bool
}

var primaryTemplates = []dsTemplate{
	{SchemaVoiceVirtualAgent, "https", "/byova/grpc", 1440, 3 * time.Hour, 41 * 24 * time.Hour, false},
	{SchemaWebService, "https", "/service1", 720, 2 * time.Hour, 33 * 24 * time.Hour, false},
	{SchemaVoiceVirtualAgentWebSocket, "wss", "/byova/stream", 1440, 5 * time.Hour, 27 * 24 * time.Hour, false},
	{SchemaVoiceVirtualAgent, "https", "/maintenance/grpc", 1440, 6 * time.Hour, 20 * 24 * time.Hour, true},
	{SchemaVoiceVirtualAgent, "https", "/legacy/grpc", 1440, 30 * time.Hour, 15 * 24 * time.Hour, false}, // expired 6 h ago
	{SchemaWebService, "https", "/triage/grpc", 60, 35 * time.Minute, 9 * 24 * time.Hour, false},         // expires in 25 min
	{SchemaVoiceVirtualAgent, "https", "/eu/grpc", 1440, time.Hour, 4 * 24 * time.Hour, false},
	{"c1f9e5d2-8a47-4b3e-9d16-5e2a7b0c4f81", "https", "/insights/callbacks", 480, 90 * time.Minute, 2 * 24 * time.Hour, false},
}

var otherTemplates = []dsTemplate{
	{SchemaVoiceVirtualAgent, "https", "/byova/grpc", 1440, 4 * time.Hour, 12 * 24 * time.Hour, false},
	{SchemaVoiceVirtualAgentWebSocket, "wss", "/stream", 1440, 10 * time.Hour, 6 * 24 * time.Hour, false},
	{SchemaWebService, "https", "/service2", 240, time.Hour, 3 * 24 * time.Hour, false},
}

type seededTokens struct {
	pat, integAccess, integRefresh, saAccess, saRefresh, otherSARefresh string
}

func (s *Server) seed() {
	g := newSeededGen(s.opts.Seed)
	now := s.now()
	s.schemas = seededSchemas()

	s.integ = oauthClient{id: g.clientID(), secret: g.hex(64), name: "BYOVA Token Manager",
		redirect: "http://127.0.0.1:8765/callback"}
	s.sa = oauthClient{id: g.clientID(), secret: g.hex(64), name: pick(g, serviceAppNames)}
	s.saAppID = HydraID("APPLICATION", s.sa.id)
	s.portalApp = g.clientID()

	first, last := pick(g, firstNames), pick(g, lastNames)
	s.devOrgID = g.uuid()
	s.orgs[s.devOrgID] = &org{id: s.devOrgID, name: last + " Developer Sandbox", created: now.Add(-400 * 24 * time.Hour),
		machineID: g.uuid(), adminID: g.uuid()}
	s.developer = person{
		id: g.uuid(), firstName: first, lastName: last, orgID: s.devOrgID,
		email:   strings.ToLower(first+"."+last) + "@byova-dev.example.com",
		created: now.Add(-400 * 24 * time.Hour),
	}

	names := make([]string, len(customerOrgNames))
	for i, j := range g.perm(len(customerOrgNames)) {
		names[i] = customerOrgNames[j]
	}
	for i, authorizedAgo := range []time.Duration{30 * 24 * time.Hour, 7 * 24 * time.Hour, 0} {
		o := &org{id: g.uuid(), name: names[i], authorized: authorizedAgo > 0,
			authorizedAt: now.Add(-authorizedAgo), created: now.Add(-authorizedAgo - 90*24*time.Hour),
			machineID: g.uuid(), adminID: g.uuid()}
		s.orgs[o.id] = o
		s.orgOrder = append(s.orgOrder, o.id)
	}
	primary, other := s.orgs[s.orgOrder[0]], s.orgs[s.orgOrder[1]]

	s.seedDataSources(g, primary, primaryTemplates)
	s.seedDataSources(g, other, otherTemplates)
	spread := s.seedSpreadOrgs(g)
	if len(spread) > 0 {
		s.seedExtraDataSources(g, spread...)
	} else {
		s.seedExtraDataSources(g, primary)
	}
	s.seedWebhooks(g)

	dev := grant{kind: kindPAT, clientID: s.portalApp, orgID: s.devOrgID, personID: s.developer.id, scopes: developerScopes}
	s.seeded.pat = s.issueAccess(dev, patLifetime, g.token(s.devOrgID)).value
	dev.kind, dev.clientID = kindIntegration, s.integ.id
	s.seeded.integAccess = s.issueAccess(dev, s.opts.AccessTokenTTL, g.token(s.devOrgID)).value
	s.seeded.integRefresh = s.issueRefresh(dev, g.token(s.devOrgID)).value
	for _, o := range spread {
		sa := grant{kind: kindServiceApp, clientID: s.sa.id, orgID: o.id, personID: o.machineID, scopes: serviceAppScopes}
		s.spread = append(s.spread, OrgToken{OrgID: o.id,
			AccessToken:  s.issueAccess(sa, s.opts.AccessTokenTTL, g.token(o.id)).value,
			RefreshToken: s.issueRefresh(sa, g.token(o.id)).value})
	}
	for _, o := range []*org{primary, other} {
		sa := grant{kind: kindServiceApp, clientID: s.sa.id, orgID: o.id, personID: o.machineID, scopes: serviceAppScopes}
		access := s.issueAccess(sa, s.opts.AccessTokenTTL, g.token(o.id)).value
		refresh := s.issueRefresh(sa, g.token(o.id)).value
		if o == primary {
			s.seeded.saAccess, s.seeded.saRefresh = access, refresh
		} else {
			s.seeded.otherSARefresh = refresh
		}
	}
}

func (s *Server) seedDataSources(g *gen, o *org, templates []dsTemplate) {
	now := s.now()
	host := pick(g, vaHosts)
	for _, t := range templates {
		d := &dataSource{
			seq: s.nextSeq(), id: g.uuid(), orgID: o.id, appID: s.sa.id,
			schemaID: t.schemaID, url: "https://" + host + t.path,
			audience: pick(g, audiences), subject: pick(g, subjects), nonce: g.uuid(),
			lifetime: t.lifetime, status: "active",
			createdBy: o.machineID, updatedBy: o.machineID,
			createdAt: now.Add(-t.createdAgo), updatedAt: now.Add(-t.issuedAgo),
		}
		if t.scheme == "wss" {
			d.url = "wss://ws." + host + t.path
		}
		if t.disabled {
			d.status, d.errorMessage = "disabled", pick(g, disableReason)
		}
		d.mint(nil, d.updatedAt, g.uuid())
		s.dsByID[d.id] = d
		s.dsOrder = append(s.dsOrder, d)
	}
}

// seedSpreadOrgs makes Options.SpreadOrgs authorized customer orgs, named "Fleet customer
// NNN", after the seeded ones.
func (s *Server) seedSpreadOrgs(g *gen) []*org {
	now := s.now()
	var orgs []*org
	for i := range s.opts.SpreadOrgs {
		o := &org{id: g.uuid(), name: fmt.Sprintf("Fleet customer %03d", i+1), authorized: true,
			authorizedAt: now.Add(-24 * time.Hour), created: now.Add(-120 * 24 * time.Hour),
			machineID: g.uuid(), adminID: g.uuid()}
		s.orgs[o.id] = o
		s.orgOrder = append(s.orgOrder, o.id)
		orgs = append(orgs, o)
	}
	return orgs
}

// seedExtraDataSources generates bulk sources for paging and benchmarks: all active, created
// over the last 36 h in sequence order, tokens valid for another 4–23 h, dealt to orgs in
// turn. Their tokens are signed lazily (see jwsToken), which is what keeps New fast with
// 10,000 of them.
func (s *Server) seedExtraDataSources(g *gen, orgs ...*org) {
	now := s.now()
	for i := range s.opts.ExtraDataSources {
		o := orgs[i%len(orgs)]
		issued := now.Add(-time.Duration(i%20+1) * time.Hour)
		d := &dataSource{
			seq: s.nextSeq(), id: g.uuid(), orgID: o.id, appID: s.sa.id,
			schemaID: SchemaVoiceVirtualAgent, url: fmt.Sprintf("https://bulk.va.example.com/tenant-%05d/grpc", i),
			audience: pick(g, audiences), subject: pick(g, subjects), nonce: g.uuid(),
			lifetime: maxLifetimeMinutes, status: "active",
			createdBy: o.machineID, updatedBy: o.machineID,
			createdAt: now.Add(-36 * time.Hour).Add(time.Duration(i) * 10 * time.Second), updatedAt: issued,
		}
		d.mint(nil, issued, g.uuid())
		d.token.cheap = s.opts.CheapSignatures
		s.dsByID[d.id] = d
		s.dsOrder = append(s.dsOrder, d)
	}
}

func (s *Server) seedWebhooks(g *gen) {
	now := s.now()
	secret := g.hex(32)
	add := func(name, target, resource, event, secret, status string, createdAgo time.Duration) {
		h := &webhook{
			seq: s.nextSeq(), id: HydraID("WEBHOOK", g.uuid()), name: name, targetURL: target,
			resource: resource, event: event, secret: secret, status: status, ownedBy: "creator",
			orgID: s.devOrgID, createdBy: s.developer.id, appID: s.portalApp, created: now.Add(-createdAgo),
		}
		s.whByID[h.id] = h
		s.whOrder = append(s.whOrder, h)
	}
	const events = "https://hooks.example.com/byova/webex-events"
	add("BYOVA Service App authorized", events, "serviceApp", "authorized", secret, "active", 60*24*time.Hour)
	add("BYOVA Service App deauthorized", events, "serviceApp", "deauthorized", secret, "active", 60*24*time.Hour)
	add("Data source changes", "https://hooks.example.com/byova/datasources", "dataSources", "updated", "", "active", 45*24*time.Hour)
	add("Old message bot", "https://bot.example.com/webex/messages", "messages", "created", "", "inactive", 200*24*time.Hour)
	resources := []string{"messages", "rooms", "memberships", "meetings", "recordings", "attachmentActions"}
	evs := []string{"created", "updated", "deleted"}
	for i := range s.opts.ExtraWebhooks {
		add(fmt.Sprintf("Generated webhook %04d", i+1), fmt.Sprintf("https://hooks.example.com/generated/%04d", i+1),
			pick(g, resources), pick(g, evs), "", "active", 30*24*time.Hour-time.Duration(i)*time.Minute)
	}
}
