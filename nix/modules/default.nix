# The UltraCloud NixOS modules that need only nixpkgs. disk-layout.nix is not in here: it also needs
# disko's NixOS module (nix/lib/nixos-configurations.nix imports both).
{
  imports = [ ./deployer-node.nix ./nix-agent.nix ];
}
