# The nix-agent service (installer-client `agent`, docs/agent.md): long-polls GET /api/v1/agent/desired-system with
# the node certificate, activates with timeout + health gate + rollback, reports to POST /api/v1/agent/activation.
# Enabled for every node by deployer-node.nix. The package is nix/packages/ultracloud-agent.nix built from the
# installer jar: set `jar` (or `package` directly; nothing in nixpkgs provides it, so one of the two is required).
# Evaluated against stubs by nix/tests/run.sh.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption mkIf types;
  cfg = config.ultracloud.nixAgent;
in
{
  options.ultracloud.nixAgent = {
    enable = mkEnableOption "the UltraCloud nix-agent";
    jar = mkOption {
      type = types.nullOr types.path;
      default = null;
      description = "The installer jar (installer-client/target/ultracloud-installer.jar); when set, `package` defaults to the agent built from it.";
    };
    package = mkOption {
      type = types.nullOr types.package;
      default = if cfg.jar != null then pkgs.callPackage ../packages/ultracloud-agent.nix { inherit (cfg) jar; } else null;
      description = "Package providing bin/ultracloud-agent (nix/packages/ultracloud-agent.nix; by default built from `jar`).";
    };
    deployerUrl = mkOption { type = types.str; description = "Base URL of the deployer's machine-facing (https) port."; };
    credentialsDir = mkOption {
      type = types.path;
      default = "/var/lib/ultracloud/tls";
      description = "The node credential the installer wrote (node.key, node.crt, ca.crt): the agent's client certificate.";
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
      # nix-env and nix build from nix; systemctl is on every unit's PATH
      path = [ config.nix.package pkgs.kexec-tools ];
      serviceConfig = {
        ExecStart = lib.escapeShellArgs [
          "${cfg.package}/bin/ultracloud-agent"
          "--deployer" cfg.deployerUrl
          "--credentials" (toString cfg.credentialsDir)
          # the pending confirm of a staged reboot lives here and must survive the reboot
          "--state-dir" "/var/lib/ultracloud/agent"
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
