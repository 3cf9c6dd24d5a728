"""What both flows share: the OpenStack behaviour that is the same in the classic story and today's nova.

One module per concern, named for what it is: ``keystone`` (steps 1 and 2),
``nova_api`` (nova-api's request body, checks, quota and 202),
``scheduling`` (the glue between a flow's scheduler step and
:mod:`bootwalk.scheduler`), ``network``, ``volumes`` and ``hypervisor`` (the
compute-side steps) and ``failures`` (a failed build on its host). The
views of the final server are the engine's (:mod:`bootwalk.engine.views`).
"""
