/// The YAML files the kubectl tests apply.
enum Manifests {
    static let pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            app: web
        spec:
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
        """

    static func controller(replicas: Int, image: String) -> String {
        """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: web
        spec:
          replicas: \(replicas)
          template:
            metadata:
              labels:
                app: webrc
            spec:
              containers:
              - name: main
                image: \(image)
                command: ["sleep", "3600"]
        """
    }

    static let podWithoutCommand = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: nocmd
        spec:
          containers:
          - name: main
            image: nginx
        """

    static let unknownKind = """
        apiVersion: v1
        kind: Widget
        metadata:
          name: w
        spec: {}
        """

    static let malformed = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: broken
           labels: [unclosed
        """
}
