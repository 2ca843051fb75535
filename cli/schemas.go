package cli

import (
	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
)

func (a *app) schemasCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "schemas", Short: "Browse data source schemas", Args: noArgs}
	var listJSON, getJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List every schema", Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.anyTokenClient()
			if err != nil {
				return err
			}
			items, err := c.ListSchemas(cmd.Context())
			if err != nil {
				return err
			}
			if listJSON {
				return printJSONList(a.stdout, items)
			}
			t := a.table("ID", "SERVICE TYPE", "PROTOCOL", "APP TYPE", "CREATED")
			for _, s := range items {
				t.row(s.ID, orDash(s.ServiceType), orDash(s.Protocol), orDash(s.AppType), orDash(s.CreatedAt))
			}
			return t.flush()
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print every schema as one JSON array")
	get := &cobra.Command{
		Use: "get ID", Short: "Show one schema", Args: exactArgs(1, "a schema ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkIDs("schema", args...); err != nil {
				return err
			}
			c, err := a.anyTokenClient()
			if err != nil {
				return err
			}
			s, err := c.GetSchema(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if getJSON {
				return printJSON(a.stdout, s)
			}
			t := a.table("FIELD", "VALUE")
			for _, r := range [][2]string{{"id", s.ID}, {"serviceType", s.ServiceType}, {"protocol", s.Protocol},
				{"appType", s.AppType}, {"url", s.URL}, {"description", s.Description}, {"createdAt", s.CreatedAt}} {
				t.row(r[0], orDash(r[1]))
			}
			return t.flush()
		},
	}
	get.Flags().BoolVar(&getJSON, "json", false, "print the schema as JSON")
	cmd.AddCommand(list, get)
	return cmd
}

// anyTokenClient is for calls any valid token may make (schemas): the org's Service App token
// when there is one, else the caller token.
func (a *app) anyTokenClient() (*api.Client, error) {
	s, err := a.session()
	if err != nil {
		return nil, err
	}
	if c, _, err := s.CurrentOrgClient(); err == nil {
		return c, nil
	}
	return s.Caller()
}
