package datasources

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// The rows a load makes in its command are the rows set would make of the list it answers, in
// its order, each pointing at its item. With a schema id the cached schemas lack, the schemas
// are fetched again before the rows are made (the id is kept, short: no schema has it).
func TestLoadMakesTheRowsOfTheList(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	specs := fixture.ManySpecs(700) // several of the list's batches and chunks
	t.Run("known schemas", func(t *testing.T) { checkLoadRows(t, srv, specs, "") })
	specs = slices.Clone(specs)
	specs[3].Schema = "no-such-schema"
	t.Run("an unknown schema", func(t *testing.T) { checkLoadRows(t, srv, specs, "no-such-schema") })
}

func checkLoadRows(t *testing.T, srv *fixture.Server, specs []fixture.Spec, unknown string) {
	srv.SetSpecs(specs)
	s := New(common.New(context.Background(), fixture.ServerSession(t, srv.URL+"/v1", false), styles.New(true), nil, fixture.Clock))
	s.SetSize(100, 20)
	r, ok := fixture.Find[common.Reply[loadedMsg]](fixture.Run(s.load()))
	if !ok || r.Err != nil {
		t.Fatalf("load: %v", r.Err)
	}
	msg := r.Payload
	if msg.built == nil || len(msg.built.rows) != len(specs) || len(msg.items) != len(specs) {
		t.Fatalf("built %v rows of %d items, want %d", msg.built != nil, len(msg.items), len(specs))
	}
	var got, want table
	got.install(msg.built)
	got.ensureText() // made beside the first frame
	want.set(msg.items, schemaMap(msg.schemas))
	if !reflect.DeepEqual(got.Rows, want.Rows) || !slices.Equal(got.Order, want.Order) || got.widest != want.widest {
		t.Fatal("the rows made as the list arrived differ from set's")
	}
	for i := range got.Rows {
		if got.Rows[i].ds != msg.items[i] {
			t.Fatalf("row %d points at a copy of its item", i)
		}
	}
	if unknown != "" && got.Rows[slices.IndexFunc(got.Rows, func(r row) bool { return r.ds.ID == specs[3].ID })].schema != schemaName(unknown, nil) {
		t.Fatalf("an unknown schema does not read as its short id")
	}
}
