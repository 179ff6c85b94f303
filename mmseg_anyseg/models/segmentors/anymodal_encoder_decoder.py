"""EncoderDecoder that knows which modalities each sample may use."""
import copy
from typing import Dict, List, Optional, Sequence, Tuple

from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import OptSampleList, SampleList, add_prefix
from torch import Tensor

from ...utils import batch_modality_mask, modality_names
from ..backbones import AnymodalBackbone, check_modality_mask
from ..missing_modality import dropout_fill, zero_fill
from ..test_protocol import AnymodalTestProtocol


@MODELS.register_module()
class AnymodalEncoderDecoder(EncoderDecoder):
    """An mmseg ``EncoderDecoder`` over any subset of the modalities.

    The backbone (an :class:`AnymodalBackbone`, e.g. :class:`MultiModalMiT`)
    receives ``[B, M, C, H, W]`` inputs and the ``[B, M]`` mask of the
    modalities each sample may use, which :class:`AnymodalDataPreProcessor`
    writes into the metainfo (``modality_mask``). A backbone with a fixed
    branch per modality (``can_drop_modalities = False``: CMNeXt, CMX) gets
    the modalities outside the mask as zero images instead.

    Prediction follows ``test_cfg`` through an :class:`AnymodalTestProtocol`
    (the kept modalities or a fixed subset, every listed subset at once, the
    missing-modality convention and test-time corruptions; its keys are
    documented there). It is validated when ``test_cfg`` is set and always
    follows ``test_cfg`` as it is when read: a ``test_cfg`` edited in place
    rebuilds it (no stale protocol).

    Args:
        **kwargs: Passed to :class:`mmseg.models.segmentors.EncoderDecoder`.
    """

    @property
    def test_cfg(self) -> Optional[dict]:
        """mmseg's ``test_cfg``; setting it rebuilds :attr:`test_protocol`."""
        return self._test_cfg

    @test_cfg.setter
    def test_cfg(self, cfg: Optional[dict]) -> None:
        if not isinstance(self.backbone, AnymodalBackbone):
            raise TypeError(f'{type(self).__name__} needs a backbone derived from '
                            f'AnymodalBackbone (MultiModalMiT, MultiModalBackbone, CMNeXt, ...); '
                            f'got {type(self.backbone).__name__}')
        self._protocol = (copy.deepcopy(cfg), AnymodalTestProtocol(cfg, self.backbone))
        self._test_cfg = cfg

    @property
    def test_protocol(self) -> AnymodalTestProtocol:
        """The :class:`AnymodalTestProtocol` of ``test_cfg`` as it is now."""
        built_from, protocol = self._protocol
        if built_from != self._test_cfg:
            self.test_cfg = self._test_cfg
            protocol = self._protocol[1]
        return protocol

    # ---------------------------------------------------------------- masks
    def modality_mask(self, inputs: Tensor, batch_img_metas: Sequence[dict]) -> Tensor:
        """``[B, M]`` bool, the modalities each sample may use.

        In eval mode, intersected with ``test_cfg.modalities``.
        """
        mask = batch_modality_mask(batch_img_metas, device=inputs.device)
        if not self.training:
            mask = self.test_protocol.restrict(mask, modality_names(batch_img_metas))
        return check_modality_mask(mask, inputs.shape[0], self.backbone.num_modalities)

    def training_view(self, inputs: Tensor, batch_img_metas: Sequence[dict],
                      fill: str = 'drop') -> Tuple[Tensor, Tensor]:
        """The inputs and the ``[B, M]`` mask the model trains on.

        The modalities that anymodal dropout removed are left out of the
        fusion (``fill='drop'``), or fed as zero images and fused with the
        others (``fill='zero'``): the mask is then every modality the sample
        has.

        Args:
            inputs: ``[B, M, C, H, W]`` pre-processed inputs.
            batch_img_metas: Their metainfo, with the kept modalities.
            fill: The pre-processor's ``dropout_fill``.
        """
        mask = self.modality_mask(inputs, batch_img_metas)
        if fill == 'zero':
            inputs = zero_fill(inputs, mask, self.backbone.num_modalities)
            mask = batch_modality_mask(batch_img_metas, kept=False, device=inputs.device)
        return inputs, mask

    # ------------------------------------------------------------- features
    def extract_feat(self, inputs: Tensor, modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Fused multi-scale features of the modalities in ``modality_mask`` (after the neck)."""
        if modality_mask is not None and not self.backbone.can_drop_modalities:
            inputs = zero_fill(inputs, modality_mask, self.backbone.num_modalities)
            modality_mask = None
        x = self.backbone(inputs, modality_mask)
        if self.with_neck:
            x = self.neck(x)
        return x

    def fuse_and_decode(self, per_modality: Sequence[Tensor],
                        modality_mask: Tensor) -> Tuple[List[Tensor], Tensor]:
        """Features and logits of a modality subset from per-modality features.

        The backbone's fusion (:meth:`AnymodalBackbone.fuse_masked`), then the
        neck and the decode head, exactly as :meth:`extract_feat` followed by
        the head, without running the backbone again.

        Args:
            per_modality: Per stage, ``[B, M, C_i, h_i, w_i]`` backbone features.
            modality_mask: ``[B, M]`` bool, the modalities to fuse.

        Returns:
            The features the head decodes and ``[B, K, h, w]`` logits.
        """
        fused = self.backbone.fuse_masked(per_modality, modality_mask)
        if self.with_neck:
            fused = self.neck(fused)
        return fused, self.decode_head.forward(fused)

    def head_losses(self, logits: Tensor, features: List[Tensor],
                    data_samples: SampleList) -> Dict[str, Tensor]:
        """The decode head's loss on ``logits`` (``decode.*``) and the auxiliary head's."""
        losses = add_prefix(self.decode_head.loss_by_feat(logits, data_samples), 'decode')
        if self.with_auxiliary_head:
            losses.update(self._auxiliary_head_forward_train(features, data_samples))
        return losses

    # ------------------------------------------------------------- modes
    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        x = self.extract_feat(*self.training_view(inputs, [ds.metainfo for ds in data_samples],
                                                   dropout_fill(self.data_preprocessor)))
        return self.head_losses(self.decode_head.forward(x), x, data_samples)

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        """Logits of the kept modalities at the input size (no corruption)."""
        x = self.extract_feat(inputs, self.modality_mask(inputs, batch_img_metas))
        return self.decode_head.predict(x, batch_img_metas, self.test_cfg)

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None) -> SampleList:
        """Predict following ``test_cfg`` (see :class:`AnymodalTestProtocol`).

        Raises:
            ValueError: no data samples (the modality metainfo comes with them).
        """
        if data_samples is None:
            raise ValueError(f'{type(self).__name__}.predict needs the data samples: they carry '
                             'the modalities each sample has')
        return self.test_protocol.predict(self, inputs, data_samples)

    def _forward(self, inputs: Tensor, data_samples: OptSampleList = None) -> Tensor:
        metas = [ds.metainfo for ds in data_samples] if data_samples else None
        mask = self.modality_mask(inputs, metas) if metas else None
        return self.decode_head.forward(self.extract_feat(inputs, mask))
