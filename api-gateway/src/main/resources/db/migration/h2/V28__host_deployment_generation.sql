-- Host deployment generations (issue 10): one increasing counter shared by every gateway replica
-- (DeploymentGenerations). A higher generation is a newer deployment; gaps are harmless.
create sequence host_deployment_generation start with 1 increment by 1;
