# A minimal valid cluster: only the required sections, every optional field at its default.
(import ../lib/cluster-schema.nix {
  cluster = { name = "mini"; domain = "mini.example"; deployerUrl = "http://10.0.0.2:8080"; };
  networks.lan = { cidr = "10.0.0.0/24"; gateway = "10.0.0.1"; };
  diskPolicies.root = { rootDeviceHints.size = 100; layout = "single-btrfs"; };
  installProfiles.default = { flake = "."; attribute = "nixosConfigurations.{hostname}"; diskPolicy = "root"; network = "lan"; };
  nodeClasses.any.installProfile = "default";
  enrollmentRules = [ { name = "everything"; assign.nodeClass = "any"; } ];
})
