# The lab's flake outputs as nix/lib/nixos-configurations.nix makes them, evaluated against the stand-ins
# in ./stubs (no nixpkgs and no disko here): `nixosConfigurations."<host>".config.fileSystems`,
# `.config.system.build.toplevel`, ... Used by run.sh and by e2e InstallerLabIT, which asks for exactly
# the attribute that the installer's `nixos-install --flake` argument names.
# `agentPackage = null` and `modules` let tests break or vary a configuration.
{ agentPackage ? import ./stubs/derivation.nix "ultracloud-agent-0.1.0", modules ? (_host: [ ]) }:
{
  nixosConfigurations = import ../lib/nixos-configurations.nix {
    nixpkgs = import ./stubs/nixpkgs.nix;
    diskoModule = ./stubs/disko-module.nix;
    inherit agentPackage modules;
    cluster = import ../examples/lab;
  };
}
