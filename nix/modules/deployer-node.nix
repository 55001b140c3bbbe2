# Thin NixOS module over one entry of the schema's `nodeModuleArgs` (nix/lib/cluster-schema.nix).
# nix/lib/nixos-configurations.nix builds every node's configuration from it (with the disk layout and
# the agent package); nix/tests/run.sh evaluates those against stand-ins for nixpkgs (nix/tests/stubs).
#
#   nixosConfigurations.cp-1 = nixpkgs.lib.nixosSystem {
#     system = "x86_64-linux";
#     modules = [
#       ./nix/modules/deployer-node.nix
#       { ultracloud.node = lab.nodeModuleArgs.cp-1; ultracloud.nixAgent.package = agent; }
#     ];
#   };
{ config, lib, ... }:
let
  inherit (lib) mkOption mkIf mkDefault types;
  node = config.ultracloud.node;

  # one systemd-networkd link per NIC (by MAC, else by interface name); tagged networks hang off it
  linkKey = a: if a.mac != null then "mac-${lib.replaceStrings [ ":" ] [ "" ] a.mac}" else "if-${a.interface}";
  bound = lib.filter (a: a.mac != null || a.interface != null) node.addresses;
  byLink = lib.groupBy linkKey bound;
  vlanName = a: "uc-${a.network}";
  cidr = a: "${a.address}/${toString a.prefixLength}";
  l3 = a: {
    address = [ (cidr a) ];
    gateway = lib.optional (a.gateway != null && a.network == node.installNetwork) a.gateway;
    dns = a.dns;
  };

  mtus = as: lib.filter (m: m != null) (map (a: a.mtu or null) as);
  linkNetworks = lib.mapAttrs'
    (key: as:
      let
        first = lib.head as;
        untagged = lib.filter (a: a.vlan == null) as;
        tagged = lib.filter (a: a.vlan != null) as;
      in
      lib.nameValuePair "10-${key}" ({
        matchConfig = if first.mac != null then { MACAddress = first.mac; } else { Name = first.interface; };
        # the link carries its own and its VLANs' traffic: the largest MTU of its networks (null: NIC default)
        linkConfig = lib.optionalAttrs (mtus as != [ ]) { MTUBytes = toString (lib.foldl' lib.max 0 (mtus as)); };
        address = map cidr untagged;
        gateway = lib.concatMap (a: (l3 a).gateway) untagged;
        dns = lib.concatMap (a: a.dns) untagged;
        vlan = map vlanName tagged;
        networkConfig.LinkLocalAddressing = "no";
      }))
    byLink;
  vlanNetworks = lib.listToAttrs (map
    (a: lib.nameValuePair "20-${vlanName a}" ({ matchConfig.Name = vlanName a; } // l3 a))
    (lib.filter (a: a.vlan != null) bound));
  vlanNetdevs = lib.listToAttrs (map
    (a: lib.nameValuePair "20-${vlanName a}" {
      netdevConfig = { Kind = "vlan"; Name = vlanName a; } // lib.optionalAttrs (a.mtu or null != null) { MTUBytes = toString a.mtu; };
      vlanConfig.Id = a.vlan;
    })
    (lib.filter (a: a.vlan != null) bound));
in
{
  imports = [ ./nix-agent.nix ];

  options.ultracloud = {
    node = mkOption {
      type = types.nullOr (types.attrsOf types.anything);
      default = null;
      description = "One entry of the cluster schema's nodeModuleArgs (hostname, addresses, agent settings, ...).";
    };
    deployer.url = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "Base URL of the UltraCloud deployer (also passed to the installer as ultracloud.deployer=).";
    };
  };

  config = mkIf (node != null) {
    networking.hostName = node.hostname;
    networking.domain = node.domain;
    networking.useNetworkd = true;
    networking.useDHCP = false;
    systemd.network = {
      enable = true;
      netdevs = vlanNetdevs;
      networks = linkNetworks // vlanNetworks // lib.optionalAttrs (bound == [ ]) {
        # no static address in the intent: DHCP on the wired NICs
        "90-uc-dhcp" = { matchConfig.Name = "en*"; networkConfig.DHCP = "ipv4"; };
      };
    };

    services.openssh = {
      enable = true;
      hostKeys = [{ path = node.sshHostKeyPath; type = "ed25519"; }];
    };
    users.users.root.openssh.authorizedKeys.keys = node.operatorSshKeys or [ ];

    boot.kernelParams = node.kernelParams;

    ultracloud.deployer.url = mkDefault node.deployer.url;
    ultracloud.nixAgent = {
      enable = mkDefault node.nixAgent.enable;
      deployerUrl = mkDefault node.nixAgent.deployerUrl;
      credentialsDir = mkDefault node.nixAgent.credentialsDir;
      pollIntervalSeconds = mkDefault node.nixAgent.pollIntervalSeconds;
    };

    # what the intent said about this node, for operators and the agent
    environment.etc."ultracloud/node.json".text = builtins.toJSON node;
  };
}
