# Helper for the broken variants: the lab definition with one patch applied, evaluated through the
# schema. `patch` gets the lab definition and returns the top-level attributes to replace.
patch:
let
  lab = import ../examples/lab/cluster.nix;
in
(import ../lib/cluster-schema.nix (lab // patch lab)).clusterState
