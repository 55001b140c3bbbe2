# The lab's flake outputs as nix/lib/nixos-configurations.nix makes them, evaluated against the stand-ins
# in ./stubs (no nixpkgs and no disko here): `nixosConfigurations."<host>".config.fileSystems`,
# `.config.system.build.toplevel`, ... Used by run.sh and by e2e InstallerLabIT, which asks for exactly
# the attribute that the installer's `nixos-install --flake` argument names.
# The nix-agent is nix/packages/ultracloud-agent.nix built (in the stubs: described) from `agentJar`, a stand-in path
# that is never read. `agentPackage`, `agentJar = null` and `modules` let tests break or vary a configuration.
{ agentPackage ? null, agentJar ? "/build/installer-client/target/ultracloud-installer.jar", modules ? (_host: [ ]) }:
{
  nixosConfigurations = import ../lib/nixos-configurations.nix {
    nixpkgs = import ./stubs/nixpkgs.nix;
    diskoModule = ./stubs/disko-module.nix;
    inherit agentPackage agentJar modules;
    cluster = import ../examples/lab;
  };
}
