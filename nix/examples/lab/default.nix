# `nix-instantiate --eval --strict --json -A clusterState nix/examples/lab`
let
  definition = import ./cluster.nix;
in
import ../../lib/cluster-schema.nix definition // { inherit definition; }
