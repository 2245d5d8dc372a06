package io.ctxprop.application;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The application: a web form and a JSON API that start the trace and ask the gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApplicationServiceApp {

    public static void main(String[] args) {
        SpringApplication.run(ApplicationServiceApp.class, args);
    }
}
