# All UltraCloud NixOS modules.
{
  imports = [ ./deployer-node.nix ./nix-agent.nix ];
}
