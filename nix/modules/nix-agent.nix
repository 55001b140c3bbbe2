# The nix-agent service (installer-client `agent`): polls GET /api/v1/agent/desired-system,
# activates with timeout + health gate + rollback, reports to POST /api/v1/agent/activation.
# Enabled for every node by deployer-node.nix; the package has no default (nothing in nixpkgs provides
# it), so nix/lib/nixos-configurations.nix requires one. Evaluated against stubs by nix/tests/run.sh.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption mkIf types;
  cfg = config.ultracloud.nixAgent;
in
{
  options.ultracloud.nixAgent = {
    enable = mkEnableOption "the UltraCloud nix-agent";
    package = mkOption {
      type = types.nullOr types.package;
      default = null;
      description = "Package providing bin/ultracloud-agent (built from installer-client).";
    };
    deployerUrl = mkOption { type = types.str; description = "Base URL of the deployer."; };
    credentialsDir = mkOption {
      type = types.path;
      default = "/var/lib/ultracloud/agent";
      description = "Node credential (TLS key and certificate) written by the installer.";
    };
    pollIntervalSeconds = mkOption { type = types.ints.positive; default = 30; };
  };

  config = mkIf cfg.enable {
    assertions = [{
      assertion = cfg.package != null;
      message = "ultracloud.nixAgent.package must be set when the nix-agent is enabled";
    }];
    systemd.services.ultracloud-nix-agent = {
      description = "UltraCloud nix-agent";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      # the agent switches the system itself; a restart of this unit must not kill the switch
      restartIfChanged = false;
      path = [ config.nix.package pkgs.kexec-tools ];
      serviceConfig = {
        ExecStart = lib.escapeShellArgs [
          "${cfg.package}/bin/ultracloud-agent"
          "--deployer" cfg.deployerUrl
          "--credentials" (toString cfg.credentialsDir)
          "--poll-interval" (toString cfg.pollIntervalSeconds)
        ];
        Restart = "always";
        RestartSec = 10;
        StateDirectory = "ultracloud/agent";
        StateDirectoryMode = "0700";
      };
    };
  };
}
