# expect: networks: is required
(import ../../lib/cluster-schema.nix {
  cluster = { name = "mini"; domain = "mini.example"; deployerUrl = "http://10.0.0.2:8080"; };
  diskPolicies = { };
  installProfiles = { };
  nodeClasses = { };
}).clusterState
