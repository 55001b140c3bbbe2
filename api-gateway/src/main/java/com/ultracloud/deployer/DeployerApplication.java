package com.ultracloud.deployer;

import com.ultracloud.deployer.gateway.security.TokenCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The deployer gateway. Sits in the root package so it scans the projections module too.
 * {@code java -jar ultracloud-deployer.jar token …} runs the API-token command instead of the server.
 */
@SpringBootApplication
public class DeployerApplication {
    public static void main(String[] args) {
        if (args.length > 0 && TokenCli.COMMAND.equals(args[0])) {
            PrintWriter out = new PrintWriter(System.out, true);
            PrintWriter err = new PrintWriter(System.err, true);
            System.exit(TokenCli.run(Arrays.copyOfRange(args, 1, args.length), out, err));
        }
        SpringApplication.run(DeployerApplication.class, args);
    }
}
