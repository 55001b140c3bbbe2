# nixosConfigurations for every node of a cluster, from the schema's nodeModuleArgs: what the fleet
# flake exports and what the installer installs, `nixos-install --flake <flake>#<hostname>` (the plan's
# system.configuration; nixos-install looks it up as nixosConfigurations."<hostname>").
#
#   outputs = { nixpkgs, disko, ... }: {
#     nixosConfigurations = import ./nix/lib/nixos-configurations.nix {
#       inherit nixpkgs;
#       diskoModule = disko.nixosModules.disko;
#       agentJar = ./ultracloud-installer.jar; # the nix-agent is built from it (nix/packages/ultracloud-agent.nix)
#       # or agentPackage = ...;              # any package providing bin/ultracloud-agent
#       cluster = import ./nix/examples/lab;
#       modules = host: [ ./hosts/${host}.nix ];
#     };
#   };
#
# Every configuration imports deployer-node.nix (hostname, network, ssh host key, nix-agent) and
# disk-layout.nix with disko's module, so the installed system's fileSystems come from the same
# nix/disko layout the installer partitions the machine with. The agent package (or the jar to build it from) is
# required: every node runs the nix-agent, and nix-agent.nix refuses to be enabled without it.
# nix/tests/run.sh evaluates these against stand-ins for nixpkgs and disko (nix/tests/stubs).
{ nixpkgs, diskoModule, agentPackage ? null, agentJar ? null, cluster, system ? "x86_64-linux", modules ? (_host: [ ]) }:
builtins.mapAttrs
  (host: args: nixpkgs.lib.nixosSystem {
    inherit system;
    modules = [
      ../modules/deployer-node.nix
      ../modules/disk-layout.nix
      diskoModule
      {
        ultracloud.node = args;
        ultracloud.disk.layout = args.diskLayout;
        # only what is given is defined, so the module's default (the package built from the jar) applies otherwise
        ultracloud.nixAgent = (if agentPackage != null then { package = agentPackage; } else { })
          // (if agentJar != null then { jar = agentJar; } else { });
      }
    ] ++ modules host;
  })
  cluster.nodeModuleArgs
