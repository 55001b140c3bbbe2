# The 6-machine lab (no BMC): the raw cluster definition, validated by ../../lib/cluster-schema.nix.
# Hardware as the installer announces it: ./hardware/<name>.json (DESIGN §8.1 discover requests).
let
  flake = "git+https://git.lab.ultracloud.example/infra/fleet?ref=main";
in
{
  cluster = {
    name = "lab";
    domain = "lab.ultracloud.example";
    deployerUrl = "https://deployer.lab.ultracloud.example:8443";
    # root's authorized keys on every installed node, and in rescue
    operatorSshKeys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGTqLQFQUH0kdJ0lp2nYww+6I/R8kKNE8zz2/lmY48tL ops@lab.ultracloud.example"
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOS1l21rJVTsh+XvcEBv3MNuqHZQQZyDbgHuS1bF6EwrIwaJIVhvz5//vZeOrBmwQYStvZRRR8lWBqiYXjMZ5Ug= oncall@lab.ultracloud.example"
    ];
  };

  networks = {
    # the install network: nodes are <hostname>.mgmt.lab.ultracloud.example (hostname, certificates)
    mgmt = { cidr = "10.42.0.0/24"; gateway = "10.42.0.1"; dns = [ "10.42.0.1" ]; domain = "mgmt.lab.ultracloud.example"; };
    # tagged on the fast NIC, jumbo frames; no gateway: storage traffic stays on the segment
    storage = { cidr = "10.43.0.0/24"; vlan = 43; mtu = 9000; };
  };

  diskPolicies = {
    # the one NVMe of a control-plane or worker box (the cp-2 240 GB SATA SSD is too small)
    nvme-root = {
      rootDeviceHints = { size = ">= 800"; rotational = false; };
      layout = "single-ext4";
      wipe = "root-disk";
    };
    # the Micron 5300 SATA boot SSD of the storage box; sysfs truncates ATA models to 16
    # characters ("Micron_5300_MTFD"), so match a prefix that survives truncation
    sata-boot = {
      rootDeviceHints = { model = "<in> Micron_5300"; };
      layout = "storage-array";
      wipe = "all-non-removable";
    };
  };

  installProfiles = {
    standard = {
      inherit flake;
      attribute = "nixosConfigurations.{hostname}";
      diskPolicy = "nvme-root";
      network = "mgmt";
      kernelParams = [ "console=tty0" "console=ttyS0,115200n8" ];
    };
    storage = {
      inherit flake;
      attribute = "nixosConfigurations.{hostname}";
      diskPolicy = "sata-boot";
      network = "mgmt";
      kernelParams = [ "console=tty0" "console=ttyS1,115200n8" "intel_iommu=on" ];
    };
  };

  nodeClasses = {
    control-plane = {
      installProfile = "standard";
      # MemTotal is below the installed DIMM size: 60 GiB admits a 64 GiB box
      minimum = { cpuThreads = 16; cpuCores = 8; memoryGiB = 60; disks = 1; diskSizeGiB = 800; nics = 2; nicSpeedMbps = 10000; };
      labels = { "ultracloud.io/role" = "control-plane"; };
    };
    worker = {
      installProfile = "standard";
      minimum = { cpuThreads = 48; cpuCores = 24; memoryGiB = 240; disks = 1; diskSizeGiB = 1700; nics = 3; nicSpeedMbps = 25000; };
      labels = { "ultracloud.io/role" = "worker"; };
    };
    storage = {
      installProfile = "storage";
      minimum = { cpuThreads = 16; cpuCores = 10; memoryGiB = 120; disks = 5; diskSizeGiB = 14000; nics = 2; nicSpeedMbps = 25000; };
      labels = { "ultracloud.io/role" = "storage"; };
    };
  };

  pools = {
    control-plane = { failureDomain = "rack-a"; };
    general = { failureDomain = "rack-a"; labels = { "ultracloud.io/tier" = "general"; }; };
    storage = { failureDomain = "rack-b"; labels = { "ultracloud.io/tier" = "storage"; }; };
  };

  # ordered: the first matching rule wins; explicit `nodes` win over every rule
  enrollmentRules = [
    {
      name = "storage-hdd";
      description = "Supermicro storage chassis with at least four 16 TB HDDs and the SSD it boots from";
      match = {
        dmi.vendor = "Supermicro";
        # each selector counts on its own: four big HDDs of any model, and the Micron boot SSD that
        # disk policy sata-boot installs to
        disks = [
          { minCount = 4; minSizeGiB = 14000; rotational = true; }
          { model = "<in> Micron_5300"; rotational = false; }
        ];
        minMemoryGiB = 120;
      };
      assign = {
        nodeClass = "storage";
        pool = "storage";
        hostname = "storage-{index}";
        labels = { "ultracloud.io/disk-tier" = "hdd"; };
      };
      maxCount = 1;
      autoCommission = true;
      # wipes every data disk: an operator starts the install
      autoInstall = false;
    }
    {
      name = "workers-epyc";
      match = {
        dmi = { vendor = "Supermicro"; product = "<or> AS -1114S-WN10RT <or> AS -1114S-WTRT"; };
        nics = { minCount = 2; minSpeedMbps = 25000; driver = "mlx5_core"; };
        disks = { minCount = 1; minSizeGiB = 1700; rotational = false; };
        minCpuThreads = 48;
        minMemoryGiB = 240;
      };
      assign = {
        nodeClass = "worker";
        pool = "general";
        hostname = "worker-{index}";
      };
      maxCount = 2;
      autoCommission = true;
      autoInstall = true;
    }
    {
      name = "workers-more";
      description = "further EPYC workers: named wk-01, wk-02, ...; an operator inspects and commissions them";
      match = {
        dmi.vendor = "Supermicro";
        nics = { minCount = 2; minSpeedMbps = 25000; driver = "mlx5_core"; };
        # a disk that the worker class's disk policy (nvme-root) can install to
        disks = { minSizeGiB = 1700; rotational = false; };
        minCpuThreads = 48;
      };
      assign = {
        nodeClass = "worker";
        pool = "general";
        hostname = "wk-{index:02}";
        firstIndex = 1;
      };
      autoInspect = false;
    }
  ];

  # the control-plane seeds install as soon as they are discovered; cp-3's board reports a placeholder
  # SMBIOS UUID, so it is matched by its lowest permanent MAC (the deployer's fingerprint for such boxes)
  nodes = {
    cp-1 = {
      match.smbiosUuid = "7c2a9e00-3f41-11ee-8000-3cecef6a1b20";
      nodeClass = "control-plane";
      pool = "control-plane";
      autoInstall = true;
      # two identical NVMe: the first keeps etcd's data, the system goes on the second
      rootDeviceHints.serial = "23083C1A4E5F";
      addresses = {
        mgmt = { address = "10.42.0.11"; mac = "3c:ec:ef:6a:1b:20"; };
        storage = { address = "10.43.0.11"; mac = "3c:fd:fe:9a:10:40"; };
      };
      labels = { "ultracloud.io/seed" = "true"; };
    };
    cp-2 = {
      match.smbiosUuid = "4c4c4544-0051-3510-8034-b4c04f523832";
      nodeClass = "control-plane";
      pool = "control-plane";
      autoInstall = true;
      addresses = {
        mgmt = { address = "10.42.0.12"; mac = "b0:7b:25:d4:3e:10"; };
        storage = { address = "10.43.0.12"; mac = "00:0a:f7:b8:12:a0"; };
      };
      labels = { "ultracloud.io/seed" = "true"; };
    };
    cp-3 = {
      match.mac = "a8:a1:59:c4:7e:12";
      nodeClass = "control-plane";
      pool = "control-plane";
      autoInstall = true;
      addresses = {
        mgmt = { address = "10.42.0.13"; mac = "a8:a1:59:c4:7e:12"; };
        storage = { address = "10.43.0.13"; mac = "b8:ce:f6:5e:90:2a"; };
      };
      labels = { "ultracloud.io/seed" = "true"; };
    };
  };

  hostDeployments = {
    control-plane = {
      selector.pools = [ "control-plane" ];
      system = { inherit flake; attribute = "nixosConfigurations.{hostname}"; };
      batchSize = 1;
      maxUnavailable = 1;
      drainPolicy = "drain";
      healthCheck = { type = "systemd"; units = [ "sshd.service" "ultracloud-nix-agent.service" ]; timeoutSeconds = 300; };
      activationTimeoutSeconds = 900;
      rollbackPolicy = "automatic";
    };
    data-plane = {
      selector.nodeClasses = [ "worker" "storage" ];
      system = { inherit flake; attribute = "nixosConfigurations.{hostname}"; };
      batchSize = 1;
      maxUnavailable = 1;
      drainPolicy = "drain";
      healthCheck = { type = "http"; url = "http://127.0.0.1:9100/metrics"; expectStatus = 200; timeoutSeconds = 120; };
      activationTimeoutSeconds = 600;
      rollbackPolicy = "automatic";
    };
  };

  # opaque to the deployer: handed to the downstream fleet scheduler as authored
  servicePolicies = {
    fleet-scheduler = {
      spreadAcross = "failureDomain";
      reserved = { control-plane = { cpuThreads = 4; memoryGiB = 8; }; };
    };
  };
}
