# expect: cluster.operatorSshKeys[0]: expected an OpenSSH public key line
import ../lab-with.nix (lab: {
  cluster = lab.cluster // { operatorSshKeys = [ "ssh-dss AAAAB3NzaC1kc3MAAACBAP1 old@lab" ]; };
})
