package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Organization is what Webex's "Get Organization Details" tells about an org. DisplayName is
// untrusted text: sanitise it before it reaches a terminal.
type Organization struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Created     string `json:"created,omitempty"`
}

// GetOrganization fetches an org (a UUID or Webex org ID) by its Webex ID. It needs a token
// that may read the org (spark-admin:organizations_read); others get a 403 *Error.
func (c *Client) GetOrganization(ctx context.Context, org string) (*Organization, error) {
	u, err := OrgUUID(org)
	if err != nil {
		return nil, err
	}
	path := "/organizations/" + url.PathEscape(EncodeID(KindOrganization, u))
	var o Organization
	if err := c.object(ctx, http.MethodGet, path, nil, &o, func() string { return o.ID }, "an organization"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(o.DisplayName) == "" {
		return nil, badReply(http.MethodGet, path, nil, "an organization without a displayName")
	}
	return &o, nil
}
