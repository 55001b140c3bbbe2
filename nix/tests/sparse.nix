# Every section present, every optional field absent: what an intent may leave out must never break
# enrollment or planning. api-gateway's SparseIntentTest imports this (as exported, with its nulls, and
# with every null removed) and installs machines from it; tests/run.sh checks that it evaluates.
(import ../lib/cluster-schema.nix {
  cluster = { name = "sparse"; domain = "sparse.example"; deployerUrl = "http://10.0.0.2:8080"; };
  networks.lan = { cidr = "10.0.0.0/24"; };
  diskPolicies.root = { rootDeviceHints.rotational = false; layout = "single-ext4"; };
  installProfiles.default = { flake = "."; attribute = "nixosConfigurations.{hostname}"; diskPolicy = "root"; network = "lan"; };
  nodeClasses.any.installProfile = "default";
  pools.bare = { };
  enrollmentRules = [ { name = "everything"; assign.nodeClass = "any"; } ];
  # Hardware.clone("server-nvme-sata-usb", 1) in the gateway's tests
  nodes.fixed = { match.smbiosUuid = "4c4c4544-0000-1000-8000-000000000001"; nodeClass = "any"; };
  hostDeployments.all = {
    selector.nodeClasses = [ "any" ];
    system = { flake = "."; attribute = "nixosConfigurations.{hostname}"; };
  };
}).clusterState
