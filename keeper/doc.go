// Package keeper keeps data source tokens fresh without cron: on every run it extends, org by
// org, the data sources whose tokens are due, and refreshes Service App tokens before they lapse.
package keeper
