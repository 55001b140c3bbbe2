# nixosConfigurations for every node of a cluster, from the schema's nodeModuleArgs.
# Needs nixpkgs (the caller passes it); this repository only checks that it parses.
#
#   nixosConfigurations = import ./nix/lib/nixos-configurations.nix {
#     inherit nixpkgs;
#     cluster = import ./nix/examples/lab;
#     modules = host: [ ./hosts/${host}.nix ];
#   };
{ nixpkgs, cluster, system ? "x86_64-linux", modules ? (_host: [ ]) }:
builtins.mapAttrs
  (host: args: nixpkgs.lib.nixosSystem {
    inherit system;
    modules = [ ../modules/deployer-node.nix { ultracloud.node = args; } ] ++ modules host;
  })
  cluster.nodeModuleArgs
